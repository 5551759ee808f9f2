package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Cidr;
import java.util.Comparator;

/** The rule that sends replies from a VIP to the gateways' table: {@code ip rule add pref 100 from VIP lookup 4096}. */
public record EgressRule(Cidr vip, int priority, int table) implements Comparable<EgressRule> {

    /** The routing table that holds the gateways' default route, as in the seed. */
    public static final int GATEWAY_TABLE = 4096;

    /** The priority of egress rules; targets' fwmark rules are allocated around it. */
    public static final int PRIORITY = 100;

    private static final Comparator<EgressRule> ORDER = Comparator.comparing(EgressRule::vip)
            .thenComparingInt(EgressRule::priority)
            .thenComparingInt(EgressRule::table);

    /** @return the egress rule for {@code vip} with the standard priority and table */
    public static EgressRule of(Cidr vip) {
        return new EgressRule(vip, PRIORITY, GATEWAY_TABLE);
    }

    @Override
    public int compareTo(EgressRule other) {
        return ORDER.compare(this, other);
    }
}
