package io.statelesslb.dataplane.trace;

import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.Queueing;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.PacketDecision;
import io.statelesslb.engine.TraceTap;
import io.statelesslb.engine.flow.FlowRule;
import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import io.vavr.collection.SortedSet;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The way of a packet through a Linux dataplane as a {@link DataplaneSpec} describes it: the nfqlb chain's VIP
 * sets, the queue, the load-balancing engine (the very one NFQUEUE runs), the fwmark rule, its table's route, the
 * device and the neighbour entry; or, for a reply from a VIP, the egress rule and the gateways' table. Both backends
 * trace with it, over what they actually hold. Not thread-safe: its owner serialises calls.
 */
public final class PacketWalk {

    /** The ingress name for packets the load balancer's own host sends (they take the output chain). */
    public static final String LOCAL = "local";

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    private final LoadBalancer engine;
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    private final ToIntFunction<String> ingressNumbers;

    /** @param engine decides the packets; its owner keeps it configured with what the dataplane holds */
    public PacketWalk(LoadBalancer engine) {
        this(engine, name -> TraceTap.UNKNOWN);
    }

    /**
     * @param engine          decides the packets; its owner keeps it configured with what the dataplane holds
     * @param ingressNumbers  numbers the interface a packet arrives on, for the engine's live traces
     */
    public PacketWalk(LoadBalancer engine, ToIntFunction<String> ingressNumbers) {
        this.engine = engine;
        this.ingressNumbers = ingressNumbers;
    }

    /**
     * @param spec    what the dataplane holds
     * @param machine its interfaces and neighbours
     * @param packet  the packet from its IP header on
     * @param ingress the interface it arrives on, {@link #LOCAL}, or null when not known: then the interface the
     *                gateways' routes leave by, where a client's packets come in
     * @return every step it took and how it ended
     */
    public PacketTrace walk(DataplaneSpec spec, Machine machine, byte[] packet, String ingress) {
        List<String> steps = new ArrayList<>();
        if (packet.length == 0 || ((packet[0] & 0xF0) != 0x40 && (packet[0] & 0xF0) != 0x60)) {
            steps.add("ingress " + (ingress == null ? "unknown" : ingress) + ", " + packet.length + " bytes");
            return dropped(steps, "not an IPv4 or IPv6 packet");
        }
        boolean ipv6 = (packet[0] & 0xF0) == 0x60;
        if (ingress == null) {
            Option<String> gateways = gatewayDevice(spec, ipv6 ? Family.IPV6 : Family.IPV4);
            ingress = gateways.getOrElse("unknown");
            steps.add("ingress " + ingress + (gateways.isDefined() ? " (the gateways' interface)" : "") + ", "
                    + packet.length + " bytes");
        } else {
            steps.add("ingress " + ingress + ", " + packet.length + " bytes");
        }
        if (packet.length < (ipv6 ? 40 : 20)) {
            return dropped(steps, "IP header cut short (" + packet.length + " bytes)");
        }
        Option<NetworkInterface> in = machine.interfaces().get(ingress);
        if (in.exists(link -> !link.up())) {
            return dropped(steps, "ingress interface " + ingress + " is down");
        }
        IpAddress source = address(packet, ipv6, true);
        IpAddress destination = address(packet, ipv6, false);
        steps.add((ipv6 ? "ipv6 " : "ipv4 ") + source + " -> " + destination);
        if (spec.queueing().isDefined() && spec.vipElements().exists(vip -> vip.contains(destination))) {
            boolean local = ingress.equals(LOCAL);
            int protocol = packet[ipv6 ? 6 : 9] & 0xFF;
            if (local && protocol != (ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)) {
                steps.add("nft inet meridio-nfqlb chain nfqlb-local: no rule matches (only ICMP to a VIP is queued)");
                return ended(steps, PacketTrace.Outcome.NOT_LOAD_BALANCED, null);
            }
            String chain = local ? "nfqlb-local" : "nfqlb";
            String rule = LinuxViews.queueRule(ipv6 ? Family.IPV6 : Family.IPV4, local, spec.queueing().get());
            steps.add("nft inet meridio-nfqlb chain " + chain + ": " + rule.replace(" packets 0 bytes 0", ""));
            int ingressNumber = local ? TraceTap.LOCAL : ingressNumbers.applyAsInt(ingress);
            return toTarget(spec, machine, packet, ipv6, ingressNumber, rule, steps);
        }
        if (spec.rules().exists(rule -> rule.source().exists(prefix -> prefix.contains(source)))) {
            // A target's reply: its port is translated back before it is routed.
            KeyExtractor.extract(packet, 0, packet.length, ipv6, 0, key);
            String from = ingress;
            spec.portNats().find(nat -> matches(nat.interfacePattern(), from) && nat.vip().contains(source)
                            && nat.protocol().number() == key.protocol() && nat.targetPort() == key.sourcePort())
                    .forEach(nat -> steps.add("nft inet meridio-nat chain port-nat-in: " + nat.fromTargets()
                            + " (source port " + nat.targetPort() + " -> " + nat.port() + ")"));
            return toGateway(spec, machine, ipv6 ? Family.IPV6 : Family.IPV4, source, destination, steps);
        }
        steps.add(spec.queueing().isDefined()
                ? "nft inet meridio-nfqlb chain nfqlb: no rule matches (destination is no VIP)"
                : "nft inet meridio-nfqlb: the load balancer's tables are not installed, nothing is queued");
        return ended(steps, PacketTrace.Outcome.NOT_LOAD_BALANCED, null);
    }

    private PacketTrace toTarget(DataplaneSpec spec, Machine machine, byte[] packet, boolean ipv6, int ingressNumber,
                                 String rule, List<String> steps) {
        engine.decide(packet, 0, packet.length, ipv6, ingressNumber, key, decision);
        Queueing queueing = spec.queueing().get();
        // Over a range the kernel picks the queue by a hash it seeds at random, or by the CPU that receives the
        // packet: only a live trace knows which.
        steps.add((queueing.count() == 1 ? "queue " + queueing.first()
                : "queue " + queueing.first() + "-" + queueing.last() + (queueing.fanout()
                        ? " (the receiving CPU's)" : " (the kernel picks one per pair of addresses)"))
                + ": key rc=" + decision.keyResult());
        FlowRule matched = decision.flow() >= 0 ? engine.flow(decision.flow()) : null;
        String flow = matched == null ? null : matched.name();
        String stream = matched == null ? null : matched.stream();
        switch (decision.reason()) {
            case UNPARSEABLE:
                return dropped(steps, rule, "load balancer: packet truncated, corrupt or unsupported");
            case NO_FLOW:
                return dropped(steps, rule, "load balancer: no flow matches");
            case NO_TARGETS:
                steps.add("flow " + flow + " of stream " + stream);
                return dropped(steps, rule, "load balancer: stream " + stream + " has no active target");
            case FRAGMENT_UNKNOWN:
                return dropped(steps, rule, "load balancer: later fragment of an unknown datagram, none held");
            case FRAGMENT_HELD:
                steps.add("later fragment held until its first fragment arrives");
                return ended(steps, PacketTrace.Outcome.HELD, rule);
            default:
                break;
        }
        int fwmark = decision.fwmark();
        steps.add(flow != null
                ? "flow " + flow + " of stream " + stream + ": hash " + (decision.hash() & 0xFFFF_FFFFL) + " -> slot "
                        + decision.slot() + " -> fwmark " + fwmark
                : "fragment follows its datagram: fwmark " + fwmark);
        Family family = ipv6 ? Family.IPV6 : Family.IPV4;
        Option<PolicyRule> steering = firstRule(spec, family, candidate -> candidate.fwmark() == fwmark);
        if (steering.isEmpty()) {
            return dropped(steps, rule, "no ip rule for fwmark 0x" + Integer.toHexString(fwmark) + ": no route");
        }
        PacketTrace delivered = lookup(spec, machine, family, steering.get(), null, steps,
                PacketTrace.Outcome.TO_TARGET, rule, fwmark, flow, stream);
        if (delivered.outcome() != PacketTrace.Outcome.TO_TARGET || (key.result() & KeyResult.LATER_FRAGMENT) != 0) {
            return delivered;
        }
        // Leaving by a conduit's interface, its destination port may be translated (after routing, in postrouting).
        IpAddress destination = address(packet, ipv6, false);
        return spec.portNats().find(nat -> matches(nat.interfacePattern(), delivered.egress())
                        && nat.vip().contains(destination) && nat.protocol().number() == key.protocol()
                        && nat.port() == key.destinationPort())
                .map(nat -> delivered.withStep("nft inet meridio-nat chain port-nat-out: " + nat.toTargets()
                        + " (destination port " + nat.port() + " -> " + nat.targetPort() + ")"))
                .getOrElse(delivered);
    }

    /** @return whether an nft interface pattern ({@code conduit-a-*}, or a whole name) matches {@code name} */
    private static boolean matches(String pattern, String name) {
        return name != null && (pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : name.equals(pattern));
    }

    private static PacketTrace toGateway(DataplaneSpec spec, Machine machine, Family family, IpAddress source,
                                         IpAddress destination, List<String> steps) {
        Option<PolicyRule> egress = firstRule(spec, family,
                rule -> rule.source().exists(prefix -> prefix.contains(source)));
        if (egress.isEmpty()) {
            return dropped(steps, "no egress rule for " + source);
        }
        // ECMP: the kernel spreads flows over the nexthops; the walk picks by the addresses.
        int spread = source.hashCode() * 31 + destination.hashCode();
        return lookup(spec, machine, family, egress.get(), spread, steps, PacketTrace.Outcome.TO_GATEWAY, null, 0,
                null, null);
    }

    /** @return the interface of the first next hop in the gateways' table of {@code family}, if it has a route */
    private static Option<String> gatewayDevice(DataplaneSpec spec, Family family) {
        return spec.routes().get(new RoutingTable(family, RoutingTable.GATEWAYS))
                .flatMap(hops -> hops.headOption()).map(Nexthop::device);
    }

    /** @return the rule of the lowest priority in {@code family} that matches, as the kernel tries them */
    private static Option<PolicyRule> firstRule(DataplaneSpec spec, Family family, Predicate<PolicyRule> matches) {
        return spec.rules().toList().filter(rule -> rule.family() == family && matches.test(rule))
                .sortBy(PolicyRule::priority).headOption();
    }

    /** The rule's table, its default route, then the next hop (picked by {@code spread} among several). */
    private static PacketTrace lookup(DataplaneSpec spec, Machine machine, Family family, PolicyRule matched,
                                      Integer spread, List<String> steps, PacketTrace.Outcome outcome,
                                      String queuedBy, int fwmark, String flow, String stream) {
        steps.add("ip rule " + matched.priority() + ": " + matched.selector());
        Option<SortedSet<Nexthop>> route = spec.routes().get(new RoutingTable(family, matched.table()));
        if (route.isEmpty()) {
            return dropped(steps, queuedBy, "no route in table " + matched.table()
                    + (matched.table() == RoutingTable.GATEWAYS ? " (no usable gateway)" : ""));
        }
        Nexthop hop = route.get().toList().get(spread == null ? 0 : Math.floorMod(spread, route.get().size()));
        steps.add("ip route table " + matched.table() + ": default via " + hop.via() + " dev " + hop.device());
        return deliver(machine, steps, outcome, queuedBy, fwmark, flow, stream, hop.device(), hop.via());
    }

    private static PacketTrace deliver(Machine machine, List<String> steps, PacketTrace.Outcome outcome, String rule,
                                       int fwmark, String flow, String stream, String device, IpAddress via) {
        if (machine.interfaces().get(device).exists(link -> !link.up())) {
            return dropped(steps, rule, "interface " + device + " is down");
        }
        Option<Neighbour> neighbour = machine.neighbours().get(via);
        if (neighbour.exists(n -> n.state() == NeighbourState.FAILED)) {
            return dropped(steps, rule, "neighbour " + via + " dev " + neighbour.get().interfaceName() + " failed");
        }
        String mac = neighbour.map(Neighbour::mac).getOrNull();
        steps.add("neighbour " + via + (mac != null ? " lladdr " + mac : " (not resolved yet)") + ", out " + device);
        return new PacketTrace(steps, outcome, null, rule, fwmark, flow, stream, device, via.toString(), mac);
    }

    private static PacketTrace ended(List<String> steps, PacketTrace.Outcome outcome, String rule) {
        return new PacketTrace(steps, outcome, null, rule, 0, null, null, null, null, null);
    }

    private static PacketTrace dropped(List<String> steps, String reason) {
        return dropped(steps, null, reason);
    }

    private static PacketTrace dropped(List<String> steps, String rule, String reason) {
        return new PacketTrace(steps, PacketTrace.Outcome.DROPPED, reason, rule, 0, null, null, null, null, null);
    }

    /** @return the source address of an IPv4 or IPv6 packet whose header is whole */
    public static IpAddress source(byte[] packet) {
        return address(packet, (packet[0] & 0xF0) == 0x60, true);
    }

    private static IpAddress address(byte[] packet, boolean ipv6, boolean source) {
        if (!ipv6) {
            int at = source ? 12 : 16;
            return IpAddress.ipv4(((packet[at] & 0xFF) << 24) | ((packet[at + 1] & 0xFF) << 16)
                    | ((packet[at + 2] & 0xFF) << 8) | (packet[at + 3] & 0xFF));
        }
        int at = source ? 8 : 24;
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (packet[at + i] & 0xFF);
            low = (low << 8) | (packet[at + 8 + i] & 0xFF);
        }
        return IpAddress.ipv6(high, low);
    }
}
