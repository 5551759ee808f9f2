package io.statelesslb.sim;

import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.PacketDecision;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.engine.packet.PacketKey;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The way of a packet through the simulated kernel: the nfqlb chain's VIP sets, the queue, the load-balancing
 * engine (the very one the kernel backend runs), the fwmark rule, its table's route, the device and the
 * neighbour entry; or, for a reply from a VIP, the egress rule and the gateways' table. Not thread-safe: the
 * dataplane serialises calls.
 */
final class PacketPath {

    private static final int QUEUES = 4;

    /** The ingress name for packets the load balancer's own host sends (they take the output chain). */
    static final String LOCAL = "local";
    static final String V4_RULE = "ip daddr @ipv4-vips counter packets 0 bytes 0 queue to 0-3";
    static final String V6_RULE = "ip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3";
    static final String V4_LOCAL_RULE = "meta l4proto icmp ip daddr @ipv4-vips counter packets 0 bytes 0 queue to 0-3";
    static final String V6_LOCAL_RULE =
            "meta l4proto ipv6-icmp ip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3";
    private static final long TICK_NANOS = 1_000_000L;

    private final SimulatedHost host;
    private final boolean promiscuousPing;
    private final EngineTables tables;
    private List<FlowSpec> flows = List.of();
    private final FragmentTable fragments = new FragmentTable(4096, 64, 2048, 2_000_000_000L);
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    /** Packets and bytes per nft rule (keyed by the rule's text with zero counters). */
    private final Map<String, long[]> ruleCounters = new TreeMap<>();
    private final Map<Integer, Long> targetHits = new TreeMap<>();
    private LoadBalancer engine;
    private long now;

    PacketPath(SimulatedHost host, boolean promiscuousPing) {
        this.host = host;
        this.promiscuousPing = promiscuousPing;
        this.tables = new EngineTables(promiscuousPing);
        configure(DataplaneSpec.empty());
    }

    /** Loads what is applied into the engine: a Maglev table per stream (kept, repopulated on change), the flows. */
    void configure(DataplaneSpec spec) {
        flows = spec.flows().values().toJavaList(); // the engine's flow indexes are in this order
        engine = new LoadBalancer(tables.configure(spec), fragments, () -> now);
    }

    Map<String, long[]> ruleCounters() {
        Map<String, long[]> copy = new TreeMap<>();
        ruleCounters.forEach((rule, counts) -> copy.put(rule, counts.clone()));
        return copy;
    }

    Map<Integer, Long> targetHits() {
        return new TreeMap<>(targetHits);
    }

    PacketTrace inject(DataplaneSpec spec, byte[] packet, String ingress) {
        now += TICK_NANOS;
        List<String> steps = new ArrayList<>();
        steps.add("ingress " + ingress + ", " + packet.length + " bytes");
        if (packet.length == 0 || ((packet[0] & 0xF0) != 0x40 && (packet[0] & 0xF0) != 0x60)) {
            return dropped(steps, "not an IPv4 or IPv6 packet");
        }
        boolean ipv6 = (packet[0] & 0xF0) == 0x60;
        if (packet.length < (ipv6 ? 40 : 20)) {
            return dropped(steps, "IP header cut short (" + packet.length + " bytes)");
        }
        Option<NetworkInterface> in = host.interfaces().get(ingress);
        if (in.exists(link -> !link.up())) {
            return dropped(steps, "ingress interface " + ingress + " is down");
        }
        IpAddress source = address(packet, ipv6, true);
        IpAddress destination = address(packet, ipv6, false);
        steps.add((ipv6 ? "ipv6 " : "ipv4 ") + source + " -> " + destination);
        if (spec.vipElements().exists(vip -> vip.contains(destination))) {
            boolean local = ingress.equals(LOCAL);
            int protocol = packet[ipv6 ? 6 : 9] & 0xFF;
            if (local && protocol != (ipv6 ? 58 : 1)) {
                steps.add("nft inet meridio-nfqlb chain nfqlb-local: no rule matches (only ICMP to a VIP is queued)");
                return new PacketTrace(steps, PacketTrace.Outcome.NOT_LOAD_BALANCED, null, 0, null, null, null, null,
                        null);
            }
            String chain = local ? "nfqlb-local" : "nfqlb";
            String rule = local ? (ipv6 ? V6_LOCAL_RULE : V4_LOCAL_RULE) : (ipv6 ? V6_RULE : V4_RULE);
            long[] counts = ruleCounters.computeIfAbsent(rule, r -> new long[2]);
            counts[0]++;
            counts[1] += packet.length;
            steps.add("nft inet meridio-nfqlb chain " + chain + ": " + rule.replace(" packets 0 bytes 0", ""));
            return toTarget(spec, packet, ipv6, steps);
        }
        if (spec.vipElements().exists(vip -> vip.contains(source))) {
            return toGateway(spec, ipv6 ? Family.IPV6 : Family.IPV4, source, destination, steps);
        }
        steps.add("nft inet meridio-nfqlb chain nfqlb: no rule matches (destination is no VIP)");
        return new PacketTrace(steps, PacketTrace.Outcome.NOT_LOAD_BALANCED, null, 0, null, null, null, null, null);
    }

    private PacketTrace toTarget(DataplaneSpec spec, byte[] packet, boolean ipv6, List<String> steps) {
        engine.decide(packet, 0, packet.length, ipv6, key, decision);
        steps.add("queue " + ((key.addressHash() & 0x7FFF_FFFF) % QUEUES) + ": key rc=" + decision.keyResult());
        String flow = decision.flow() >= 0 ? flows.get(decision.flow()).name() : null;
        String stream = decision.flow() >= 0 ? flows.get(decision.flow()).stream() : null;
        switch (decision.reason()) {
            case UNPARSEABLE:
                return dropped(steps, "load balancer: packet truncated, corrupt or unsupported");
            case NO_FLOW:
                return dropped(steps, "load balancer: no flow matches");
            case NO_TARGETS:
                steps.add("flow " + flow + " of stream " + stream);
                return dropped(steps, "load balancer: stream " + stream + " has no active target");
            case FRAGMENT_UNKNOWN:
                return dropped(steps, "load balancer: later fragment of an unknown datagram, none held");
            case FRAGMENT_HELD:
                steps.add("later fragment held until its first fragment arrives");
                return new PacketTrace(steps, PacketTrace.Outcome.HELD, null, 0, null, null, null, null, null);
            default:
                break;
        }
        int fwmark = decision.fwmark();
        steps.add(flow != null
                ? "flow " + flow + " of stream " + stream + ": hash " + (decision.hash() & 0xFFFF_FFFFL) + " -> slot "
                        + decision.slot() + " -> fwmark " + fwmark
                : "fragment follows its datagram: fwmark " + fwmark);
        targetHits.merge(fwmark, 1L, Long::sum);
        Family family = ipv6 ? Family.IPV6 : Family.IPV4;
        Option<TargetPath> path = spec.streams().values().flatMap(StreamPlan::paths)
                .find(p -> p.family() == family && p.fwmark() == fwmark);
        if (path.isEmpty()) {
            return dropped(steps, "no ip rule for fwmark 0x" + Integer.toHexString(fwmark) + ": no route");
        }
        TargetPath target = path.get();
        steps.add("ip rule " + target.rulePriority() + ": from all fwmark 0x" + Integer.toHexString(fwmark) + " lookup "
                + target.table());
        steps.add("ip route table " + target.table() + ": default via " + target.via() + " dev " + target.device());
        return deliver(steps, PacketTrace.Outcome.TO_TARGET, fwmark, flow, stream, target.device(), target.via());
    }

    private PacketTrace toGateway(DataplaneSpec spec, Family family, IpAddress source, IpAddress destination,
                                  List<String> steps) {
        Option<io.statelesslb.domain.plan.EgressRule> rule = spec.egressRules().find(r -> r.vip().contains(source));
        if (rule.isEmpty()) {
            return dropped(steps, "no egress rule for " + source);
        }
        steps.add("ip rule " + rule.get().priority() + ": from " + rule.get().vip() + " lookup " + rule.get().table());
        Option<GatewayRoute> route = spec.gatewayRoutes().get(family);
        if (route.isEmpty()) {
            return dropped(steps, "no route in table " + rule.get().table() + " (no usable gateway)");
        }
        // ECMP: the kernel spreads flows over the nexthops; the simulation picks by the addresses.
        int pick = Math.floorMod(source.hashCode() * 31 + destination.hashCode(), route.get().nexthops().size());
        Nexthop hop = route.get().nexthops().toList().get(pick);
        steps.add("ip route table " + route.get().table() + ": default via " + hop.via() + " dev " + hop.device());
        return deliver(steps, PacketTrace.Outcome.TO_GATEWAY, 0, null, null, hop.device(), hop.via());
    }

    private PacketTrace deliver(List<String> steps, PacketTrace.Outcome outcome, int fwmark, String flow, String stream,
                                String device, IpAddress via) {
        if (host.interfaces().get(device).exists(link -> !link.up())) {
            return dropped(steps, "interface " + device + " is down");
        }
        Option<Neighbour> neighbour = host.neighbours().get(via);
        if (neighbour.exists(n -> n.state() == NeighbourState.FAILED)) {
            return dropped(steps, "neighbour " + via + " dev " + neighbour.get().interfaceName() + " failed");
        }
        String mac = neighbour.map(Neighbour::mac).getOrNull();
        steps.add("neighbour " + via + (mac != null ? " lladdr " + mac : " (not resolved yet)") + ", out " + device);
        return new PacketTrace(steps, outcome, null, fwmark, flow, stream, device, via.toString(), mac);
    }

    private static PacketTrace dropped(List<String> steps, String reason) {
        return new PacketTrace(steps, PacketTrace.Outcome.DROPPED, reason, 0, null, null, null, null, null);
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
