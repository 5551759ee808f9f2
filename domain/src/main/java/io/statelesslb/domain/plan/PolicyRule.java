package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.vavr.control.Option;
import java.util.Comparator;

/**
 * An {@code ip rule} of the load balancer's: packets of one family that carry the fwmark (or none, when
 * {@code unmarked}), come from the source prefix, or are of the IP protocol, look up the table. Three kinds:
 * <pre>
 *   ip rule add pref 97 fwmark 0x13b4 lookup 5044      packets marked for a target go to its table
 *   ip rule add pref 100 from 20.0.0.1 lookup 4096     a VIP's replies go to the gateways' table
 *   ip rule add pref 101 fwmark 0/0xffffffff ipproto icmp lookup main suppress_prefixlength 0
 *   ip rule add pref 102 fwmark 0/0xffffffff ipproto icmp lookup 4096
 *                                                      the load balancer's own ICMP errors (a datagram too big for
 *                                                      a conduit) go back to clients through the gateways
 * </pre>
 *
 * @param fwmark               0 when the rule does not match on a fwmark
 * @param unmarked             whether the rule matches only packets without a fwmark ({@code fwmark 0/0xffffffff})
 * @param source               the source prefix, or none
 * @param ipProtocol           the IP protocol to match ({@code ipproto}), 0 for any
 * @param suppressPrefixLength routes of this prefix length or shorter found in the table are passed over (so
 *                             {@code 0} uses a table's specific routes but not its default), -1 for none
 */
public record PolicyRule(Family family, int priority, int fwmark, boolean unmarked, Option<Cidr> source,
                         int ipProtocol, int table, int suppressPrefixLength) implements Comparable<PolicyRule> {

    /** The priority of the rules that send VIPs' replies to the gateways; targets' rules sit around it. */
    public static final int REPLIES_PRIORITY = 100;
    /** The priority of the rule that keeps the load balancer's own ICMP on the main table's specific routes. */
    public static final int OWN_ICMP_PRIORITY = 101;
    /** The main routing table. */
    public static final int MAIN_TABLE = 254;

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    private static final Comparator<PolicyRule> ORDER = Comparator.comparing(PolicyRule::family)
            .thenComparingInt(PolicyRule::priority)
            .thenComparingInt(PolicyRule::fwmark)
            .thenComparing(PolicyRule::unmarked)
            .thenComparing(rule -> rule.source().getOrNull(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(PolicyRule::ipProtocol)
            .thenComparingInt(PolicyRule::table)
            .thenComparingInt(PolicyRule::suppressPrefixLength);

    /** @return the rule that sends packets marked {@code fwmark} to the table of the same number */
    public static PolicyRule toTarget(Family family, int priority, int fwmark) {
        return new PolicyRule(family, priority, fwmark, false, Option.none(), 0, fwmark, -1);
    }

    /** @return the rule that sends replies from {@code vip} to the gateways' table */
    public static PolicyRule fromVip(Cidr vip) {
        return new PolicyRule(vip.family(), REPLIES_PRIORITY, 0, false, Option.some(vip), 0, RoutingTable.GATEWAYS,
                -1);
    }

    /**
     * @return the rules that route the load balancer's own ICMP (errors such as fragmentation needed, which carry
     *         no fwmark) by the main table's specific routes first, then through the gateways: a client is behind
     *         them, and the main table has no default route to it
     */
    public static java.util.List<PolicyRule> ownIcmp(Family family) {
        int icmp = family == Family.IPV4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
        return java.util.List.of(
                new PolicyRule(family, OWN_ICMP_PRIORITY, 0, true, Option.none(), icmp, MAIN_TABLE, 0),
                new PolicyRule(family, OWN_ICMP_PRIORITY + 1, 0, true, Option.none(), icmp, RoutingTable.GATEWAYS,
                        -1));
    }

    /** @return whether the rule steers packets by their fwmark (a target's rule) */
    public boolean byFwmark() {
        return fwmark != 0;
    }

    /**
     * @return the rule's selector and action as {@code ip rule} prints them:
     *         {@code from all fwmark 0x13b4 lookup 5044}
     */
    public String selector() {
        return "from " + source.map(PolicyRule::prefix).getOrElse("all") + mark() + protocol() + " lookup "
                + tableName() + suppression();
    }

    /**
     * @return the rule's arguments as one types them after {@code ip rule add}:
     *         {@code pref 97 fwmark 0x13b4 lookup 5044}
     */
    public String arguments() {
        return "pref " + priority + source.map(prefix -> " from " + prefix(prefix)).getOrElse("")
                + (unmarked ? " fwmark 0/0xffffffff" : mark()) + protocol() + " lookup " + tableName()
                + suppression();
    }

    private String mark() {
        return unmarked ? " fwmark 0" : fwmark != 0 ? " fwmark 0x" + Integer.toHexString(fwmark) : "";
    }

    private String protocol() {
        return ipProtocol == 0 ? "" : " ipproto " + (ipProtocol == IPPROTO_ICMP ? "icmp"
                : ipProtocol == IPPROTO_ICMPV6 ? "ipv6-icmp" : Integer.toString(ipProtocol));
    }

    private String tableName() {
        return table == MAIN_TABLE ? "main" : Integer.toString(table);
    }

    private String suppression() {
        return suppressPrefixLength < 0 ? "" : " suppress_prefixlength " + suppressPrefixLength;
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
