package io.statelesslb.engine.flow;

import java.util.List;

/**
 * One flow as the packet path is given it, nfqlb's {@code flow-set}: packets to one of {@code destinations} that
 * meet every other criterion belong to {@code stream}; among matching flows the highest {@code priority} wins.
 * An empty list matches anything.
 *
 * @param stream     the stream whose Maglev table picks the target (nfqlb's {@code user_ref}); for traces
 * @param protocols  IP protocol numbers (6 tcp, 17 udp, 132 sctp)
 */
public record FlowRule(
        String name,
        String stream,
        int priority,
        List<Integer> protocols,
        List<Prefix> destinations,
        List<Prefix> sources,
        List<PortInterval> destinationPorts,
        List<PortInterval> sourcePorts,
        List<ByteComparison> byteMatches) {

    public FlowRule {
        protocols = List.copyOf(protocols);
        destinations = List.copyOf(destinations);
        sources = List.copyOf(sources);
        destinationPorts = List.copyOf(destinationPorts);
        sourcePorts = List.copyOf(sourcePorts);
        byteMatches = List.copyOf(byteMatches);
    }
}
