package io.statelesslb.dataplane.render;

import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.OwnTag;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.PortNatSpec;
import io.statelesslb.domain.plan.Queueing;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.MaglevTable;
import io.vavr.collection.SortedSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one renderer of a dataplane: a {@link DataplaneSpec} (with its machine's neighbours and its rules' counters)
 * the way the Linux tools print it, in the formats of the seed's troubleshooting guide: {@code nft list ruleset},
 * {@code ip rule}, {@code ip route show table N}, {@code ip neigh}, {@code /proc/net/arp}, {@code nfqlb flow-list}
 * and {@code nfqlb show}.
 */
public final class LinuxViews {


    /** How {@code ip} prints the tag of stateless-lb's rules and routes. */
    private static final String PROTO = " proto " + OwnTag.PROTOCOL;

    /** Lookup entries {@code nfqlb show} prints before "...". */
    public static final int SHOWN_LOOKUP_ENTRIES = 25;

    private LinuxViews() {
    }

    /**
     * Every view of a dataplane, in the order an operator would type the commands.
     *
     * @param counters packets and bytes each queueing rule counted, by the rule's text with zero counters
     * @param matches  packets each flow matched, by flow name
     * @param maglevs  each stream's Maglev table, populated with its active slots
     * @return {@code nft list ruleset}, {@code ip [-6] rule}, every {@code ip [-6] route show table N},
     *         {@code ip [-6] neigh}, {@code nfqlb flow-list} and {@code nfqlb show} per stream
     */
    public static List<Rendering> all(DataplaneSpec spec, Machine machine, Map<String, long[]> counters,
                                      Map<String, Long> matches, Function<StreamPlan, Maglev> maglevs) {
        List<Rendering> views = new ArrayList<>();
        views.add(new Rendering("nft list ruleset", nftRuleset(spec, counters)));
        views.add(new Rendering("ip rule", ipRules(spec, Family.IPV4)));
        views.add(new Rendering("ip -6 rule", ipRules(spec, Family.IPV6)));
        for (Family family : Family.values()) {
            for (int table : tables(spec, family)) {
                views.add(new Rendering("ip " + (family == Family.IPV6 ? "-6 " : "") + "route show table " + table,
                        ipRoutes(spec, family, table)));
            }
        }
        views.add(new Rendering("ip neigh", ipNeighbours(machine, spec, Family.IPV4)));
        views.add(new Rendering("ip -6 neigh", ipNeighbours(machine, spec, Family.IPV6)));
        views.add(new Rendering(ANNOUNCED, announced(spec)));
        views.add(new Rendering("nfqlb flow-list", nfqlbFlowList(spec, matches)));
        for (StreamPlan stream : spec.streams().values()) {
            views.add(new Rendering("nfqlb show --shm=tshm-" + stream.stream(),
                    nfqlbShow(stream, maglevs.apply(stream))));
        }
        return views;
    }

    /** The title of {@link #announced}: what BIRD exports over each session, as {@code birdc} would list it. */
    public static final String ANNOUNCED = "birdc show route export (each gateway's session)";

    /** @return each gateway's session and the prefixes announced over it, one gateway per line */
    public static String announced(DataplaneSpec spec) {
        StringBuilder out = new StringBuilder();
        spec.gateways().values().forEach(session -> out.append(session.name()).append(' ')
                .append(session.gateway().protocol().label()).append(' ').append(session.gateway().address())
                .append(": ").append(session.announced().isEmpty() ? "nothing" : session.announced().mkString(" "))
                .append('\n'));
        return out.toString();
    }

    /**
     * @param local whether it is the rule of the output chain {@code nfqlb-local} (ICMP from this host)
     * @return a rule that queues VIP traffic, as {@code nft list ruleset} prints it before any packet counted; the
     *         key of its counter in {@link #nftRuleset(DataplaneSpec, Map)}
     */
    public static String queueRule(Family family, boolean local, Queueing queueing) {
        String match = family == Family.IPV4 ? (local ? "meta l4proto icmp " : "") + "ip daddr @ipv4-vips"
                : (local ? "meta l4proto ipv6-icmp " : "") + "ip6 daddr @ipv6-vips";
        return match + " counter packets 0 bytes 0 " + queueing.statement();
    }

    /**
     * @param towardsTargets the rule of {@code port-nat-out} (else its reverse of {@code port-nat-in})
     * @return a port translation's rule as {@code nft list} prints it, with zero counters
     */
    public static String portNatRule(PortNatSpec nat, boolean towardsTargets) {
        String rule = towardsTargets ? nat.toTargets() : nat.fromTargets();
        return rule.replace(" counter ", " counter packets 0 bytes 0 ");
    }

    /** @return the load balancer's tables (nfqlb, nat, defrag) as {@code nft list ruleset} prints them, no counts */
    public static String nftRuleset(DataplaneSpec spec) {
        return nftRuleset(spec, Map.of());
    }

    /**
     * @param counters packets and bytes each queueing rule counted, by the rule's text with zero counters
     * @return the load balancer's tables (nfqlb, nat, defrag) as {@code nft list ruleset} prints them; nothing when
     *         they are not there, or not whole (the dataplane then has them installed again)
     */
    public static String nftRuleset(DataplaneSpec spec, Map<String, long[]> counters) {
        if (spec.queueing().isEmpty()) {
            return "";
        }
        Queueing queueing = spec.queueing().get();
        StringBuilder out = new StringBuilder();
        out.append("table inet meridio-nfqlb {\n");
        set(out, "ipv4-vips", "ipv4_addr", spec, Family.IPV4);
        out.append('\n');
        set(out, "ipv6-vips", "ipv6_addr", spec, Family.IPV6);
        out.append('\n');
        out.append("\tchain nfqlb {\n")
                .append("\t\ttype filter hook prerouting priority filter; policy accept;\n")
                .append("\t\t").append(counted(queueRule(Family.IPV4, false, queueing), counters)).append('\n')
                .append("\t\t").append(counted(queueRule(Family.IPV6, false, queueing), counters)).append('\n')
                .append("\t}\n\n")
                .append("\tchain nfqlb-local {\n")
                .append("\t\ttype filter hook output priority filter; policy accept;\n")
                .append("\t\t").append(counted(queueRule(Family.IPV4, true, queueing), counters)).append('\n')
                .append("\t\t").append(counted(queueRule(Family.IPV6, true, queueing), counters)).append('\n')
                .append("\t}\n")
                .append("}\n")
                .append("table inet meridio-nat {\n");
        if (!spec.portNats().isEmpty()) {
            out.append("\tchain port-nat-in {\n")
                    .append("\t\ttype filter hook prerouting priority dstnat; policy accept;\n");
            spec.portNats().forEach(nat -> out.append("\t\t").append(counted(portNatRule(nat, false), counters))
                    .append('\n'));
            out.append("\t}\n\n")
                    .append("\tchain port-nat-out {\n")
                    .append("\t\ttype filter hook postrouting priority srcnat; policy accept;\n");
            spec.portNats().forEach(nat -> out.append("\t\t").append(counted(portNatRule(nat, true), counters))
                    .append('\n'));
            out.append("\t}\n");
        }
        out.append("}\n")
                .append("table inet meridio-defrag {\n")
                .append("\tchain pre-defrag {\n")
                .append("\t\ttype filter hook prerouting priority -500; policy accept;\n");
        spec.defragExemptions().forEach(pattern -> out.append("\t\tiifname \"").append(pattern)
                .append("\" notrack\n"));
        out.append("\t}\n\n")
                .append("\tchain in {\n")
                .append("\t\ttype filter hook prerouting priority raw; policy accept;\n")
                .append("\t\tnotrack\n")
                .append("\t\tct state untracked accept\n")
                .append("\t}\n\n")
                .append("\tchain out {\n")
                .append("\t\ttype filter hook output priority raw; policy accept;\n")
                .append("\t\tnotrack\n")
                .append("\t}\n")
                .append("}\n");
        return out.toString();
    }

    /** @return the rule with its counter's packets and bytes in place of the zeros */
    private static String counted(String rule, Map<String, long[]> counters) {
        long[] counts = counters.get(rule);
        return counts == null ? rule
                : rule.replace("packets 0 bytes 0", "packets " + counts[0] + " bytes " + counts[1]);
    }

    private static void set(StringBuilder out, String name, String type, DataplaneSpec spec, Family family) {
        out.append("\tset ").append(name).append(" {\n")
                .append("\t\ttype ").append(type).append('\n')
                .append("\t\tflags interval\n");
        List<String> elements = spec.vipElements().filter(vip -> vip.family() == family)
                .map(LinuxViews::element).toJavaList();
        if (!elements.isEmpty()) {
            // nft puts two IPv4 elements on a line, and an IPv6 element on a line of its own.
            int perLine = family == Family.IPV4 ? 2 : 1;
            out.append("\t\telements = { ");
            for (int i = 0; i < elements.size(); i++) {
                out.append(i == 0 ? "" : i % perLine == 0 ? ",\n\t\t\t     " : ", ").append(elements.get(i));
            }
            out.append(" }\n");
        }
        out.append("\t}\n");
    }

    /** nft prints a single-address interval as the bare address. */
    private static String element(Cidr vip) {
        return vip.prefixLength() == vip.family().bits() ? vip.address().toString() : vip.toString();
    }

    /**
     * @return the load balancer's rules in {@code family} as {@code ip rule} (or {@code ip -6 rule}) prints them,
     *         with the tag that marks them stateless-lb's
     */
    public static String ipRules(DataplaneSpec spec, Family family) {
        StringBuilder out = new StringBuilder();
        spec.rules().toList().filter(rule -> rule.family() == family)
                .sortBy(PolicyRule::priority)
                .forEach(rule -> out.append(rule.priority()).append(":\t").append(rule.selector()).append(PROTO)
                        .append('\n'));
        return out.toString();
    }

    /** @return the tables the load balancer uses in {@code family}, in ascending order */
    public static List<Integer> tables(DataplaneSpec spec, Family family) {
        return spec.routes().keySet().filter(table -> table.family() == family).map(RoutingTable::number)
                .toJavaList();
    }

    /** @return table {@code table} in {@code family} as {@code ip route show table N} prints it */
    public static String ipRoutes(DataplaneSpec spec, Family family, int table) {
        // The gateways' table is written by BIRD's kernel protocol (its own tag, its default metric 32).
        boolean learned = table == RoutingTable.GATEWAYS;
        String proto = learned ? " proto bird metric 32" : PROTO;
        String v6Suffix = family == Family.IPV6 ? (learned ? " pref medium" : " metric 1024 pref medium") : "";
        StringBuilder out = new StringBuilder();
        for (SortedSet<Nexthop> hops : spec.routes().get(new RoutingTable(family, table))) {
            if (hops.size() == 1) {
                Nexthop hop = hops.head();
                out.append("default via ").append(hop.via()).append(" dev ").append(hop.device()).append(proto)
                        .append(v6Suffix).append('\n');
            } else {
                out.append("default").append(proto).append(v6Suffix).append('\n');
                hops.forEach(hop -> out.append("\tnexthop via ").append(hop.via()).append(" dev ")
                        .append(hop.device()).append(" weight 1\n"));
            }
        }
        return out.toString();
    }

    /** @return {@code nfqlb show} of {@code stream} from its Maglev, already populated with the stream's slots */
    public static String nfqlbShow(StreamPlan stream, Maglev maglev) {
        MaglevTable table = maglev.view().table();
        StringBuilder lookup = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN_LOOKUP_ENTRIES, table.size()); i++) {
            lookup.append(' ').append(table.entry(i));
        }
        StringBuilder active = new StringBuilder();
        stream.slots().toJavaList().stream()
                .sorted(Comparator.comparing(slot -> slot._2))
                .forEach(slot -> active.append(' ').append(slot._2).append('(').append(slot._1).append(')'));
        return "m: tshm-" + stream.stream() + "\n"
                + "Fw: own=0\n"
                + "Maglev: M=" + maglev.m() + ", N=" + stream.maglev().n() + "\n"
                + "Lookup:" + lookup + (table.size() > SHOWN_LOOKUP_ENTRIES ? "..." : "") + "\n"
                + "Active:" + active + "\n";
    }

    /** @return the neighbour entries of {@code family} as {@code ip neigh} (or {@code ip -6 neigh}) prints them */
    public static String ipNeighbours(Machine machine, DataplaneSpec spec, Family family) {
        Set<IpAddress> routers = new HashSet<>();
        spec.routes().filterKeys(table -> table.number() == RoutingTable.GATEWAYS).values()
                .forEach(hops -> hops.forEach(hop -> routers.add(hop.via())));
        StringBuilder out = new StringBuilder();
        for (Neighbour n : machine.neighbours().values().filter(n -> n.address().family() == family)) {
            out.append(n.address()).append(" dev ").append(n.interfaceName());
            if (n.state() == NeighbourState.REACHABLE) {
                out.append(" lladdr ").append(n.mac()).append(routers.contains(n.address()) ? " router" : "");
            }
            out.append(' ').append(n.state().name()).append('\n');
        }
        return out.toString();
    }

    /** @return the IPv4 neighbours as {@code cat /proc/net/arp} prints them (the kernel's column widths) */
    public static String procNetArp(Machine machine) {
        StringBuilder out = new StringBuilder(
                "IP address       HW type     Flags       HW address            Mask     Device\n");
        for (Neighbour n : machine.neighbours().values().filter(n -> n.address().family() == Family.IPV4)) {
            boolean complete = n.state() == NeighbourState.REACHABLE;
            out.append(String.format("%-16s 0x%-10x0x%-10x%-17s     %-8s %s%n", n.address(), 1, complete ? 2 : 0,
                    complete ? n.mac() : "00:00:00:00:00:00", "*", n.interfaceName()));
        }
        return out.toString();
    }

    /** @return the flows as {@code nfqlb flow-list} prints them before any packet matched */
    public static String nfqlbFlowList(DataplaneSpec spec) {
        return nfqlbFlowList(spec, Map.of());
    }

    /**
     * @param matches packets each flow matched, by flow name
     * @return the flows as {@code nfqlb flow-list} prints them (JSON, IPv4 prefixes v4-mapped)
     */
    public static String nfqlbFlowList(DataplaneSpec spec, Map<String, Long> matches) {
        List<String> flows = new ArrayList<>();
        for (FlowSpec flow : spec.flows().values()) {
            StringBuilder out = new StringBuilder();
            out.append("{\n  \"name\": \"tshm-").append(flow.stream()).append('-').append(flow.name()).append("\",\n")
                    .append("  \"priority\": ").append(flow.priority()).append(",\n");
            if (!flow.protocols().isEmpty()) {
                out.append("  \"protocols\": [ ")
                        .append(String.join(", ", flow.protocols().map(p -> quote(p.label())).toJavaList()))
                        .append(" ],\n");
            }
            list(out, "dests", flow.destinations().toList().map(c -> c.toIpv6Mapped().toString()).toJavaList());
            list(out, "srcs", flow.sourceSubnets().toList().map(c -> c.toIpv6Mapped().toString()).toJavaList());
            list(out, "dports", flow.destinationPorts().toList().map(Object::toString).toJavaList());
            list(out, "sports", flow.sourcePorts().toList().map(Object::toString).toJavaList());
            out.append("  \"matches_count\": ").append(matches.getOrDefault(flow.name(), 0L)).append(",\n")
                    .append("  \"user_ref\": \"tshm-").append(flow.stream()).append("\"\n}");
            flows.add(out.toString());
        }
        return "[" + String.join(", ", flows) + "]\n";
    }

    private static void list(StringBuilder out, String name, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        out.append("  \"").append(name).append("\": [\n");
        for (int i = 0; i < values.size(); i++) {
            out.append("    ").append(quote(values.get(i))).append(i + 1 < values.size() ? ",\n" : "\n");
        }
        out.append("  ],\n");
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
