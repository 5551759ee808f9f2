package io.statelesslb.domain.model;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.vavr.collection.List;
import io.vavr.collection.SortedSet;

/**
 * A classification rule: packets to one of {@code vips} that match every given criterion belong to
 * {@code stream}; among matching flows the highest {@code priority} wins. Empty criteria match anything.
 */
public record Flow(
        String name,
        String stream,
        int priority,
        SortedSet<Protocol> protocols,
        SortedSet<Cidr> sourceSubnets,
        SortedSet<PortRange> sourcePorts,
        SortedSet<PortRange> destinationPorts,
        SortedSet<String> vips,
        List<ByteMatch> byteMatches) {

    /** Most prefixes in a flow's source or destination list, as nfqlb allows. */
    public static final int MAX_PREFIXES = 32;
}
