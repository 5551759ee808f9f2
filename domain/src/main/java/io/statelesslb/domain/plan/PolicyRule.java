package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.vavr.control.Option;
import java.util.Comparator;

/**
 * An {@code ip rule} of the load balancer's: packets of one family that carry the fwmark, or come from the source
 * prefix, look up the table. Two kinds, as in the seed:
 * <pre>
 *   ip rule add pref 97 fwmark 0x13b4 lookup 5044     packets marked for a target go to its table
 *   ip rule add pref 100 from 20.0.0.1 lookup 4096    a VIP's replies go to the gateways' table
 * </pre>
 *
 * @param fwmark 0 when the rule matches on the source
 * @param source the source prefix, or none when the rule matches on the fwmark
 */
public record PolicyRule(Family family, int priority, int fwmark, Option<Cidr> source, int table)
        implements Comparable<PolicyRule> {

    /** The priority of the rules that send VIPs' replies to the gateways; targets' rules sit around it. */
    public static final int REPLIES_PRIORITY = 100;

    private static final Comparator<PolicyRule> ORDER = Comparator.comparing(PolicyRule::family)
            .thenComparingInt(PolicyRule::priority)
            .thenComparingInt(PolicyRule::fwmark)
            .thenComparing(rule -> rule.source().getOrNull(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(PolicyRule::table);

    /** @return the rule that sends packets marked {@code fwmark} to the table of the same number */
    public static PolicyRule toTarget(Family family, int priority, int fwmark) {
        return new PolicyRule(family, priority, fwmark, Option.none(), fwmark);
    }

    /** @return the rule that sends replies from {@code vip} to the gateways' table */
    public static PolicyRule fromVip(Cidr vip) {
        return new PolicyRule(vip.family(), REPLIES_PRIORITY, 0, Option.some(vip), RoutingTable.GATEWAYS);
    }

    /** @return whether the rule steers packets by their fwmark (a target's rule) */
    public boolean byFwmark() {
        return fwmark != 0;
    }

    /** @return the rule's selector and action as {@code ip rule} prints them: {@code from all fwmark 0x13b4 lookup 5044} */
    public String selector() {
        return "from " + source.map(PolicyRule::prefix).getOrElse("all")
                + (fwmark != 0 ? " fwmark 0x" + Integer.toHexString(fwmark) : "") + " lookup " + table;
    }

    /** @return the rule's arguments as one types them after {@code ip rule add}: {@code pref 97 fwmark 0x13b4 lookup 5044} */
    public String arguments() {
        return "pref " + priority + source.map(prefix -> " from " + prefix(prefix)).getOrElse("")
                + (fwmark != 0 ? " fwmark 0x" + Integer.toHexString(fwmark) : "") + " lookup " + table;
    }

    /** {@code ip rule} prints a host prefix as the bare address. */
    private static String prefix(Cidr cidr) {
        return cidr.prefixLength() == cidr.family().bits() ? cidr.address().toString() : cidr.toString();
    }

    @Override
    public int compareTo(PolicyRule other) {
        return ORDER.compare(this, other);
    }
}
