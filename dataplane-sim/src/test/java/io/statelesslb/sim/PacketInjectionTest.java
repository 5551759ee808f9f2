package io.statelesslb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportGatewaySessionUp;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.Queueing;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packets injected into the seed's trench take the path the seed describes, or are dropped for a stated reason. */
class PacketInjectionTest {

    private static final IpAddress VIP = ip(20, 0, 0, 1);
    private static final IpAddress CLIENT = ip(198, 51, 100, 7);
    private static final Map<String, String> TARGET_MACS = Map.of(
            "172.16.1.6", "02:fe:c2:14:ec:dd", "172.16.1.8", "02:fe:54:90:a2:4f",
            "172.16.0.8", "02:fe:72:70:fd:55", "172.16.0.6", "02:fe:d6:03:3b:84");

    /** The seed's trench, with its interfaces and neighbours reported by the simulated host. */
    private static SimulatedTrench seed(boolean promiscuousPing) {
        SimulatedTrench trench = new SimulatedTrench();
        trench.submit(Scenarios.seedConfiguration());
        if (promiscuousPing) {
            trench.submit(new ConfigureLoadBalancer("0:3", 1024, false, false, true, 0, 0, 0, false));
        }
        SimulatedHost host = trench.host();
        List<Command> observed = new ArrayList<>(List.of(
                host.interfaceUp("conduit-a--d7c4", 1400, "172.16.0.4/24", "fd00::4/64"),
                host.interfaceUp("conduit-a--f75b", 1500, "172.16.1.4/24", "fd00:0:0:1::4/64"),
                host.interfaceUp("ext-vlan0", 1500, "169.254.100.1/24", "100:100::1/64"),
                host.neighbourReachable("169.254.100.150", "ext-vlan0", "02:42:ac:12:00:06"),
                new ReportGatewaySessionUp("gateway-a-v4"),
                new ReportGatewaySessionUp("gateway-a-v6")));
        TARGET_MACS.forEach((ip, mac) -> observed.add(host.neighbourReachable(ip,
                ip.startsWith("172.16.1.") ? "conduit-a--f75b" : "conduit-a--d7c4", mac)));
        trench.submit(observed);
        trench.submit(Scenarios.seed().subList(Scenarios.seed().size() - 4, Scenarios.seed().size()));
        return trench;
    }

    @Test
    void aPacketToTheVipReachesATargetWithTheSeedsRuleRouteAndMac() {
        SimulatedTrench trench = seed(false);
        PacketTrace trace = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000),
                "ext-vlan0");
        assertThat(trace.outcome()).as(trace.render()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
        assertThat(trace.flow()).isEqualTo("flow-a-z-tcp");
        assertThat(trace.stream()).isEqualTo("stream-a-i");
        assertThat(trace.fwmark()).isIn(5044, 5062, 5069, 5073);
        assertThat(trace.mac()).isEqualTo(TARGET_MACS.get(trace.nextHop()));
        assertThat(trace.egress())
                .isEqualTo(trace.nextHop().startsWith("172.16.1.") ? "conduit-a--f75b" : "conduit-a--d7c4");
        assertThat(trace.steps())
                .anyMatch(step -> step.startsWith("ip rule ") && step.contains("lookup " + trace.fwmark()));
        assertThat(trench.dataplane.ruleCounters().get(LinuxViews.queueRule(Family.IPV4, false, Queueing.DEFAULT)))
                .containsExactly(1L, 40L);
        assertThat(LinuxViews.nftRuleset(trench.dataplane.actual(), trench.dataplane.ruleCounters()))
                .contains("ip daddr @ipv4-vips counter packets 1 bytes 40 queue to 0-3")
                .contains("ip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3");
        assertThat(trench.dataplane.targetHits()).containsEntry(trace.fwmark(), 1L);
    }

    @Test
    void whatNoFlowCoversIsDroppedAndWhatIsNoVipIsLeftAlone() {
        SimulatedTrench trench = seed(false);
        PacketTrace noFlow = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 80),
                "ext-vlan0");
        assertThat(noFlow.dropReason()).isEqualTo("load balancer: no flow matches");
        PacketTrace elsewhere = trench.dataplane.inject(
                PacketBuilder.first(Protocol.TCP, CLIENT, 40000, ip(30, 0, 0, 1), 4000), "ext-vlan0");
        assertThat(elsewhere.outcome()).isEqualTo(PacketTrace.Outcome.NOT_LOAD_BALANCED);
    }

    @Test
    void theSimulatedRoutingDaemonLearnsTheSeedsDefaultRoutesAndAnnouncesEachFamilysVip() {
        SimulatedTrench trench = seed(false);
        assertThat(trench.dataplane.observe(trench.state())).as("the sessions the seed reported up are up").isEmpty();
        String ipRoute = trench.dataplane.render().stream()
                .filter(view -> view.command().equals("ip route show table 4096")).findFirst().orElseThrow().output();
        assertThat(ipRoute).isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
        String ipv6Route = trench.dataplane.render().stream()
                .filter(view -> view.command().equals("ip -6 route show table 4096")).findFirst().orElseThrow()
                .output();
        assertThat(ipv6Route).isEqualTo("default via 100:100::150 dev ext-vlan0 proto bird metric 32 pref medium\n");
        assertThat(trench.dataplane.render().stream().filter(view -> view.command().equals(LinuxViews.ANNOUNCED))
                .findFirst().orElseThrow().output()).isEqualTo("gateway-a-v4 bgp 169.254.100.150: 20.0.0.1/32\n"
                        + "gateway-a-v6 bgp 100:100::150: 2000::1/128\n");
        assertThat(trench.dataplane.gatewaySessions()).extracting(session -> session.gateway() + " "
                + session.state() + " " + session.bfd().orElse("-") + " " + session.announced().mkString(","))
                .containsExactly("gateway-a-v4 Established Up 20.0.0.1/32", "gateway-a-v6 Established Up 2000::1/128");
    }

    @Test
    void repliesFromTheVipLeaveThroughTheGatewayUntilItsSessionDrops() {
        SimulatedTrench trench = seed(false);
        PacketTrace reply = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, VIP, 4000, CLIENT, 40000),
                "conduit-a--d7c4");
        assertThat(reply.outcome()).as(reply.render()).isEqualTo(PacketTrace.Outcome.TO_GATEWAY);
        assertThat(reply.nextHop()).isEqualTo("169.254.100.150");
        assertThat(reply.egress()).isEqualTo("ext-vlan0");
        assertThat(reply.mac()).isEqualTo("02:42:ac:12:00:06");
        trench.host().gatewayStops("169.254.100.150");
        assertThat(trench.dataplane.observe(trench.state()))
                .containsExactly(new ReportGatewaySessionDown("gateway-a-v4"));
        assertThat(trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, VIP, 4000, CLIENT, 40000),
                "conduit-a--d7c4").dropReason())
                .as("the route the session learned went with it")
                .isEqualTo("no route in table 4096 (no usable gateway)");
        trench.observe();
        assertThat(trench.dataplane.gatewaySessions()).filteredOn(session -> session.gateway().equals("gateway-a-v4"))
                .singleElement().satisfies(session -> {
                    assertThat(session.up()).isFalse();
                    assertThat(session.state()).isEqualTo("Active");
                });
        trench.host().gatewayStarts("169.254.100.150");
        trench.observe();
        assertThat(trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, VIP, 4000, CLIENT, 40000),
                "conduit-a--d7c4").outcome()).isEqualTo(PacketTrace.Outcome.TO_GATEWAY);
    }

    @Test
    void aDownInterfaceDropsUntilTheControllerMovesItsTargetsAway() {
        SimulatedTrench trench = seed(false);
        List<byte[]> packets = clients(2000);
        Command down = trench.host().interfaceDown("conduit-a--f75b");
        // The kernel flushed the routes through it: the two targets' tables are empty until the slots move.
        long dropped = packets.stream().map(p -> trench.dataplane.inject(p, "ext-vlan0"))
                .filter(t -> "no route in table 5044".equals(t.dropReason())
                        || "no route in table 5073".equals(t.dropReason())).count();
        assertThat(dropped).as("packets of the two targets behind the interface").isBetween(700L, 1300L);
        trench.submit(down);
        for (byte[] packet : packets) {
            PacketTrace trace = trench.dataplane.inject(packet, "ext-vlan0");
            assertThat(trace.outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
            assertThat(trace.egress()).isEqualTo("conduit-a--d7c4");
        }
    }

    @Test
    void aFailedNeighbourDropsUntilTheControllerDeactivatesItsTarget() {
        SimulatedTrench trench = seed(false);
        Command failed = trench.host().neighbourFailed("172.16.1.6", "conduit-a--f75b");
        List<PacketTrace> before = clients(400).stream().map(p -> trench.dataplane.inject(p, "ext-vlan0")).toList();
        assertThat(before).anyMatch(t -> "neighbour 172.16.1.6 dev conduit-a--f75b failed".equals(t.dropReason()));
        trench.submit(failed);
        assertThat(clients(400)).allSatisfy(p -> assertThat(trench.dataplane.inject(p, "ext-vlan0").fwmark())
                .isNotEqualTo(5044).isPositive());
    }

    @Test
    void anIcmpFragmentationNeededReachesTheTargetThatOwnsTheFlow() {
        SimulatedTrench trench = seed(false);
        for (int port = 30000; port < 30050; port++) {
            int owner = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, port, VIP, 4000),
                    "ext-vlan0").fwmark();
            // A router on the way back tells the VIP that the target's reply was too big; it quotes the reply.
            byte[] reply = PacketBuilder.first(Protocol.TCP, VIP, 4000, CLIENT, port);
            PacketTrace icmp = trench.dataplane.inject(
                    PacketBuilder.fragmentationNeeded(ip(192, 0, 2, 1), VIP, reply), "ext-vlan0");
            assertThat(icmp.fwmark()).as(icmp.render()).isEqualTo(owner);
        }
    }

    @Test
    void pingToTheVipNeedsPromiscuousPingWhenOnlyTcpFlowsExist() {
        byte[] ping = PacketBuilder.echoRequest(CLIENT, VIP, 0x4242);
        assertThat(seed(false).dataplane.inject(ping, "ext-vlan0").dropReason())
                .isEqualTo("load balancer: no flow matches");
        PacketTrace promiscuous = seed(true).dataplane.inject(ping, "ext-vlan0");
        assertThat(promiscuous.outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
        assertThat(promiscuous.flow()).isEqualTo("flow-a-z-tcp");
    }

    @Test
    void scalingOutAndInMovesFewFlowsAndComesBackExactly() {
        SimulatedTrench trench = seed(false);
        for (int id : new int[] {44, 62, 69, 73}) {
            trench.submit(new UnregisterTarget("stream-a-i", id));
        }
        List<Command> ten = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            ten.add(new RegisterTarget("stream-a-i", id, List.of("172.16.0." + (10 + id))));
        }
        trench.submit(ten);
        List<byte[]> flows = clients(100_000);
        int[] withTen = fwmarks(trench, flows);
        trench.submit(new RegisterTarget("stream-a-i", 11, List.of("172.16.0.21")));
        int[] withEleven = fwmarks(trench, flows);
        trench.submit(new UnregisterTarget("stream-a-i", 11));
        int[] backToTen = fwmarks(trench, flows);
        double moved = changed(withTen, withEleven) / (double) flows.size();
        System.getLogger("scenario").log(System.Logger.Level.INFO, "10 -> 11 targets moved " + moved + " of flows");
        assertThat(moved).as("fraction of flows moved by one more target (ideal 1/11)").isBetween(0.5 / 11, 2.0 / 11);
        assertThat(changed(withTen, backToTen)).as("the same targets give the same table").isZero();
    }

    private static int[] fwmarks(SimulatedTrench trench, List<byte[]> flows) {
        int[] fwmarks = new int[flows.size()];
        for (int i = 0; i < fwmarks.length; i++) {
            fwmarks[i] = trench.dataplane.inject(flows.get(i), "ext-vlan0").fwmark();
        }
        return fwmarks;
    }

    private static int changed(int[] a, int[] b) {
        int changed = 0;
        for (int i = 0; i < a.length; i++) {
            changed += a[i] != b[i] ? 1 : 0;
        }
        return changed;
    }

    /** @return TCP SYNs to the VIP's port 4000 from {@code count} random clients (fixed seed) */
    private static List<byte[]> clients(int count) {
        Random random = new Random(20261126);
        List<byte[]> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            packets.add(PacketBuilder.first(Protocol.TCP, ip(10 + random.nextInt(200), random.nextInt(256),
                    random.nextInt(256), 1 + random.nextInt(254)), 1024 + random.nextInt(60000), VIP, 4000));
        }
        return packets;
    }

    @Test
    void driftIsObservedAndRepairedByTheNextReconcile() {
        SimulatedTrench trench = seed(false);
        List<byte[]> packets = clients(400);
        assertThat(trench.verify()).isEmpty();
        SimulatedHost host = trench.dataplane.host();
        host.deleteRule(PolicyRule.toTarget(Family.IPV4, 97, 5044));
        host.deleteRoute(new RoutingTable(Family.IPV4, 5044));
        host.deleteVipElement(Cidr.parse("2000::1/128").get());
        assertThat(packets.stream().map(p -> trench.dataplane.inject(p, "ext-vlan0").dropReason()))
                .contains("no ip rule for fwmark 0x13b4: no route");
        List<RecordDrift> drift = trench.verify();
        assertThat(drift).extracting(RecordDrift::repair).containsExactly(
                "ip route replace default via 172.16.1.6 dev conduit-a--f75b table 5044",
                "ip rule add pref 97 fwmark 0x13b4 lookup 5044",
                "nft add element inet meridio-nfqlb ipv6-vips { 2000::1/128 }");
        trench.submit(drift);
        assertThat(trench.verify()).isEmpty();
        assertThat(packets).allSatisfy(p -> assertThat(trench.dataplane.inject(p, "ext-vlan0").outcome())
                .isEqualTo(PacketTrace.Outcome.TO_TARGET));
    }

    @Test
    void theSameEventsGiveTheSameRenderingsAndTheSameTraces() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (List<String> run : List.of(first, second)) {
            SimulatedTrench trench = seed(false);
            trench.submit(new UnregisterTarget("stream-a-i", 62));
            run.add(LinuxViews.nftRuleset(trench.dataplane.actual()));
            run.add(LinuxViews.ipRules(trench.dataplane.actual(), io.statelesslb.domain.net.Family.IPV4));
            clients(500).forEach(p -> run.add(trench.dataplane.inject(p, "ext-vlan0").render()));
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aTargetStaysPendingUntilItsConduitInterfaceAppears() {
        SimulatedTrench trench = seed(false);
        trench.submit(new RegisterTarget("stream-a-i", 5, List.of("172.16.9.5")));
        assertThat(clients(2000)).noneSatisfy(p -> assertThat(trench.dataplane.inject(p, "ext-vlan0").fwmark())
                .isEqualTo(5005));
        trench.submit(trench.host().interfaceUp("conduit-a--9999", 1500, "172.16.9.4/24"));
        assertThat(clients(2000).stream().map(p -> trench.dataplane.inject(p, "ext-vlan0")))
                .anySatisfy(t -> {
                    assertThat(t.fwmark()).isEqualTo(5005);
                    assertThat(t.egress()).isEqualTo("conduit-a--9999");
                });
    }

    @Test
    void aFlowsPriorityDecidesBetweenOverlappingFlows() {
        SimulatedTrench trench = seed(false);
        trench.submit(new DefineConduit("conduit-b", "conduit-b-"),
                new DefineStream("stream-b", "conduit-b", 10),
                trench.host().interfaceUp("conduit-b-1", 1500, "172.17.0.4/24"),
                new RegisterTarget("stream-b", 1, List.of("172.17.0.5")),
                new DefineFlow("flow-b-all", "stream-b", 0, List.of(), List.of(), List.of(),
                        List.of(), List.of("vip-a-1-v4"), List.of()));
        byte[] packet = PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000);
        assertThat(trench.dataplane.inject(packet, "ext-vlan0").flow()).isEqualTo("flow-a-z-tcp");
        trench.submit(new DefineFlow("flow-b-all", "stream-b", 10, List.of(), List.of(),
                List.of(), List.of(), List.of("vip-a-1-v4"), List.of()));
        PacketTrace trace = trench.dataplane.inject(packet, "ext-vlan0");
        assertThat(trace.flow()).isEqualTo("flow-b-all");
        assertThat(trace.fwmark()).isEqualTo(trench.state().fwmarkOffsets().get("stream-b").get() + 1);
    }

    @Test
    void aVipAddedIsQueuedAndAVipRemovedIsNotAnyMore() {
        SimulatedTrench trench = seed(false);
        IpAddress newVip = ip(20, 0, 0, 2);
        byte[] packet = PacketBuilder.first(Protocol.TCP, CLIENT, 40000, newVip, 4000);
        assertThat(trench.dataplane.inject(packet, "ext-vlan0").outcome())
                .isEqualTo(PacketTrace.Outcome.NOT_LOAD_BALANCED);
        trench.submit(new DefineVip("vip-a-2", "20.0.0.2/32"),
                new DefineFlow("flow-a-z-tcp", "stream-a-i", 1, List.of("tcp"), List.of(),
                        List.of(), List.of("4000"), List.of("vip-a-1-v4", "vip-a-1-v6", "vip-a-2"), List.of()));
        assertThat(trench.dataplane.inject(packet, "ext-vlan0").outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
        trench.submit(new DefineFlow("flow-a-z-tcp", "stream-a-i", 1, List.of("tcp"),
                        List.of(), List.of(), List.of("4000"), List.of("vip-a-1-v4", "vip-a-1-v6"), List.of()),
                new DeleteVip("vip-a-2"));
        assertThat(trench.dataplane.inject(packet, "ext-vlan0").outcome())
                .isEqualTo(PacketTrace.Outcome.NOT_LOAD_BALANCED);
    }

    @Test
    void locallySentIcmpToAVipTakesTheOutputChainAndOtherTrafficDoesNot() {
        SimulatedTrench trench = seed(true);
        PacketTrace ping = trench.dataplane.inject(PacketBuilder.echoRequest(ip(169, 254, 100, 1), VIP, 7), "local");
        assertThat(ping.steps()).anyMatch(step -> step.contains("chain nfqlb-local"));
        assertThat(ping.outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
        PacketTrace tcp = trench.dataplane.inject(
                PacketBuilder.first(Protocol.TCP, ip(169, 254, 100, 1), 40000, VIP, 4000), "local");
        assertThat(tcp.outcome()).isEqualTo(PacketTrace.Outcome.NOT_LOAD_BALANCED);
        assertThat(trench.dataplane.ruleCounters().get(LinuxViews.queueRule(Family.IPV4, true, Queueing.DEFAULT))[0])
                .isEqualTo(1L);
    }

    @Test
    void aPacketWhoseIngressIsNotNamedArrivesWhereTheGatewaysRoutesLeave() {
        SimulatedTrench trench = seed(false);
        PacketTrace trace = trench.dataplane.trace(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000), null);
        assertThat(trace.steps().get(0)).startsWith("ingress ext-vlan0 (the gateways' interface)");
        assertThat(trace.steps()).as("over a range of queues the kernel picks one; the trace does not pretend to know")
                .anyMatch(step -> step.startsWith("queue 0-3 (the kernel picks one per pair of addresses)"));
        assertThat(trace.outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
    }

    @Test
    void aLiveTraceFollowsTheInjectedPacketsOfItsFlowAtMostAtItsRateUntilClosed() throws Exception {
        SimulatedTrench trench = seed(false);
        List<LiveTrace> followed = new ArrayList<>();
        List<LiveTrace> everything = new ArrayList<>();
        AutoCloseable tcpOnly = trench.dataplane.traceLive(
                new LiveTraceRequest(Option.some("flow-a-z-tcp"), 3), followed::add);
        AutoCloseable all = trench.dataplane.traceLive(new LiveTraceRequest(Option.none(), 100), everything::add);
        PacketTrace traced = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000),
                "ext-vlan0");
        trench.dataplane.inject(PacketBuilder.first(Protocol.UDP, CLIENT, 40000, ip(30, 0, 0, 1), 53), "ext-vlan0");
        trench.dataplane.inject(PacketBuilder.first(Protocol.SCTP, CLIENT, 40000, VIP, 4000), "ext-vlan0");

        assertThat(followed).singleElement().satisfies(trace -> {
            assertThat(trace.flow()).isEqualTo("flow-a-z-tcp");
            assertThat(trace.stream()).isEqualTo("stream-a-i");
            assertThat(trace.ingress()).isEqualTo("ext-vlan0");
            assertThat(trace.queue()).as("the simulator has no queues").isNull();
            assertThat(trace.protocol()).isEqualTo("tcp");
            assertThat(trace.source()).isEqualTo(CLIENT.toString());
            assertThat(trace.sourcePort()).isEqualTo(40000);
            assertThat(trace.destination()).isEqualTo(VIP.toString());
            assertThat(trace.destinationPort()).isEqualTo(4000);
            assertThat(trace.fwmark()).isEqualTo(traced.fwmark());
            assertThat(trace.target()).isEqualTo(trace.slot() + 1);
            assertThat(trace.reason()).isEqualTo("load_balanced");
            assertThat(trace.verdict()).isEqualTo("mark");
        });
        assertThat(everything).extracting(LiveTrace::reason).containsExactly("load_balanced", "no_flow");
        for (int i = 0; i < 10; i++) {
            trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, 40001 + i, VIP, 4000), "ext-vlan0");
        }
        assertThat(followed).as("three per second, with the burst of one second's worth").hasSize(3);
        tcpOnly.close();
        all.close();
        trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000), "ext-vlan0");
        assertThat(everything).as("closed, nothing more").hasSize(12);
    }

    @Test
    void aTranslatedPortGoesToTheTargetAndComesBackInItsReply() {
        SimulatedTrench trench = seed(false);
        trench.submit(new DefineConduit("conduit-a", "conduit-a-", List.of(
                new DefineConduit.DestinationPortNat("tcp", 4000, 8080, List.of("vip-a-1-v4")))));
        PacketTrace in = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000),
                "ext-vlan0");
        assertThat(in.outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
        assertThat(in.steps()).last().asString().endsWith("tcp dport set 8080 (destination port 4000 -> 8080)");

        PacketTrace reply = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, VIP, 8080, CLIENT, 40000),
                in.egress());
        assertThat(reply.outcome()).as(reply.render()).isEqualTo(PacketTrace.Outcome.TO_GATEWAY);
        assertThat(reply.steps()).anyMatch(step -> step.equals("nft inet meridio-nat chain port-nat-in: iifname"
                + " \"conduit-a-*\" ip saddr 20.0.0.1 tcp sport 8080 counter tcp sport set 4000 (source port 8080 ->"
                + " 4000)"));
        PacketTrace notTranslated = trench.dataplane.inject(PacketBuilder.first(Protocol.TCP, VIP, 9090, CLIENT,
                40000), in.egress());
        assertThat(notTranslated.steps()).noneMatch(step -> step.contains("port-nat-in"));
    }

    private static IpAddress ip(int a, int b, int c, int d) {
        return IpAddress.ipv4(a << 24 | b << 16 | c << 8 | d);
    }
}
