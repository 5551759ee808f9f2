package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.IpAddress;
import java.util.Comparator;

/** One next hop of a default route, {@code via ADDRESS dev DEVICE}: a target, or one of the gateways. */
public record Nexthop(IpAddress via, String device) implements Comparable<Nexthop> {

    private static final Comparator<Nexthop> ORDER = Comparator.comparing(Nexthop::via).thenComparing(Nexthop::device);

    @Override
    public int compareTo(Nexthop other) {
        return ORDER.compare(this, other);
    }
}
