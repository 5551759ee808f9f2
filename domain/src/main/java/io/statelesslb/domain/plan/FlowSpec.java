package io.statelesslb.domain.plan;

import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.vavr.collection.List;
import io.vavr.collection.SortedSet;

/** A flow as the engine is given it: its VIP names resolved to their prefixes. */
public record FlowSpec(
        String name,
        String stream,
        int priority,
        SortedSet<Protocol> protocols,
        SortedSet<Cidr> sourceSubnets,
        SortedSet<PortRange> sourcePorts,
        SortedSet<PortRange> destinationPorts,
        SortedSet<Cidr> destinations,
        List<ByteMatch> byteMatches) {
}
