package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Family;
import java.util.Comparator;

/**
 * A routing table of one family that the load balancer owns: the gateways' table (4096) or a target's (its
 * fwmark, 5044 for target 44 of a stream at offset 5000). The load balancer writes one route in each, the default.
 */
public record RoutingTable(Family family, int number) implements Comparable<RoutingTable> {

    /** The table that holds the gateways' default route, as in the seed. */
    public static final int GATEWAYS = 4096;

    private static final Comparator<RoutingTable> ORDER = Comparator.comparing(RoutingTable::family)
            .thenComparingInt(RoutingTable::number);

    @Override
    public int compareTo(RoutingTable other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return (family == Family.IPV6 ? "ipv6 " : "") + "table " + number;
    }
}
