package io.statelesslb.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineAttractor;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.collection.List;
import io.vavr.collection.TreeSet;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final State seed = Scenarios.fold(Scenarios.seed());

    private static Nexthop hop(String via, String device) {
        return new Nexthop(IpAddress.parse(via).get(), device);
    }

    @Test
    void seedScenarioPlansTheSeedsSlotsRulesAndRoutes() {
        DataplaneSpec spec = Planner.plan(seed);
        StreamPlan stream = spec.streams().get("stream-a-i").get();
        assertThat(stream.maglev()).isEqualTo(new MaglevSpec(10000, 100));
        assertThat(stream.slots().toJavaMap()).containsExactly(
                Map.entry(43, 5044), Map.entry(61, 5062),
                Map.entry(68, 5069), Map.entry(72, 5073));
        Cidr v4 = Cidr.parse("20.0.0.1/32").get();
        Cidr v6 = Cidr.parse("2000::1/128").get();
        assertThat(spec.rules()).containsExactly(
                PolicyRule.toTarget(Family.IPV4, 96, 5073), PolicyRule.toTarget(Family.IPV4, 97, 5044),
                PolicyRule.toTarget(Family.IPV4, 98, 5062), PolicyRule.toTarget(Family.IPV4, 99, 5069),
                PolicyRule.fromVip(v4), PolicyRule.ownIcmp(Family.IPV4).get(0), PolicyRule.ownIcmp(Family.IPV4).get(1),
                PolicyRule.toTarget(Family.IPV6, 96, 5073), PolicyRule.toTarget(Family.IPV6, 97, 5044),
                PolicyRule.toTarget(Family.IPV6, 98, 5062), PolicyRule.toTarget(Family.IPV6, 99, 5069),
                PolicyRule.fromVip(v6), PolicyRule.ownIcmp(Family.IPV6).get(0), PolicyRule.ownIcmp(Family.IPV6).get(1));
        assertThat(spec.rules().toList().map(rule -> rule.priority() + ": " + rule.selector()).drop(5).take(2))
                .containsExactly("101: from all fwmark 0 ipproto icmp lookup main suppress_prefixlength 0",
                        "102: from all fwmark 0 ipproto icmp lookup 4096");
        assertThat(spec.rules().toList().map(rule -> rule.priority() + ": " + rule.selector()).take(5)).containsExactly(
                "96: from all fwmark 0x13d1 lookup 5073", "97: from all fwmark 0x13b4 lookup 5044",
                "98: from all fwmark 0x13c6 lookup 5062", "99: from all fwmark 0x13cd lookup 5069",
                "100: from 20.0.0.1 lookup 4096");
        assertThat(spec.routes().toJavaMap()).containsExactly(
                Map.entry(new RoutingTable(Family.IPV4, 4096),
                        TreeSet.of(hop("169.254.100.150", "ext-vlan0"))),
                Map.entry(new RoutingTable(Family.IPV4, 5044), TreeSet.of(hop("172.16.1.6", "conduit-a--f75b"))),
                Map.entry(new RoutingTable(Family.IPV4, 5062), TreeSet.of(hop("172.16.0.8", "conduit-a--d7c4"))),
                Map.entry(new RoutingTable(Family.IPV4, 5069), TreeSet.of(hop("172.16.0.6", "conduit-a--d7c4"))),
                Map.entry(new RoutingTable(Family.IPV4, 5073), TreeSet.of(hop("172.16.1.8", "conduit-a--f75b"))),
                Map.entry(new RoutingTable(Family.IPV6, 4096), TreeSet.of(hop("100:100::150", "ext-vlan0"))),
                Map.entry(new RoutingTable(Family.IPV6, 5044),
                        TreeSet.of(hop("fd00:0:0:1::6", "conduit-a--f75b"))),
                Map.entry(new RoutingTable(Family.IPV6, 5062), TreeSet.of(hop("fd00::8", "conduit-a--d7c4"))),
                Map.entry(new RoutingTable(Family.IPV6, 5069), TreeSet.of(hop("fd00::6", "conduit-a--d7c4"))),
                Map.entry(new RoutingTable(Family.IPV6, 5073),
                        TreeSet.of(hop("fd00:0:0:1::8", "conduit-a--f75b"))));
    }

    @Test
    void seedScenarioPlansVipSetsFlowsAndAnnouncements() {
        DataplaneSpec spec = Planner.plan(seed);
        Cidr v4 = Cidr.parse("20.0.0.1/32").get();
        Cidr v6 = Cidr.parse("2000::1/128").get();
        assertThat(spec.vipElements()).containsExactly(v4, v6);
        assertThat(spec.announcements()).containsExactly(v4, v6);
        FlowSpec flow = spec.flows().get("flow-a-z-tcp").get();
        assertThat(flow.destinations()).containsExactly(v4, v6);
        assertThat(flow.stream()).isEqualTo("stream-a-i");
    }

    @Test
    void aConduitsPortTranslationIsPlannedForEachVipItNamesAndGoesWithIt() {
        State state = Scenarios.after(seed, new DefineConduit("conduit-a", "conduit-a-", java.util.List.of(
                new DefineConduit.DestinationPortNat("tcp", 80, 8080, java.util.List.of("vip-a-1-v4", "vip-a-1-v6")))));
        assertThat(Planner.plan(state).portNats()).containsExactly(
                new PortNatSpec("conduit-a-*", Cidr.parse("20.0.0.1/32").get(), Protocol.TCP, 80, 8080),
                new PortNatSpec("conduit-a-*", Cidr.parse("2000::1/128").get(), Protocol.TCP, 80, 8080));
        assertThat(Planner.plan(Scenarios.after(state, new DefineConduit("conduit-a", "conduit-a-"))).portNats())
                .isEmpty();
        assertThat(Planner.plan(seed).portNats()).isEmpty();
    }

    @Test
    void targetStaysPendingUntilItsConduitInterfaceAppears() {
        State state = Scenarios.after(seed, new RegisterTarget("stream-a-i", 5, java.util.List.of("172.16.9.5")));
        assertThat(Planner.plan(state).streams().get("stream-a-i").get().slots().containsKey(4)).isFalse();
        state = Scenarios.after(state, new ReportInterfaceUp("conduit-a--new1", java.util.List.of("172.16.9.1/24"), 0));
        DataplaneSpec spec = Planner.plan(state);
        assertThat(spec.streams().get("stream-a-i").get().slots().get(4).get()).isEqualTo(5005);
        assertThat(spec.routes().get(new RoutingTable(Family.IPV4, 5005)).get().map(Nexthop::device))
                .containsExactly("conduit-a--new1");
    }

    @Test
    void interfacesOutsideTheConduitDoNotActivateTargets() {
        State state = Scenarios.after(seed, new RegisterTarget("stream-a-i", 5, java.util.List.of("172.16.9.5")),
                new ReportInterfaceUp("eth9", java.util.List.of("172.16.9.1/24"), 0));
        assertThat(Planner.plan(state).streams().get("stream-a-i").get().slots().containsKey(4)).isFalse();
    }

    @Test
    void disabledTargetsFailedNeighboursAndDownInterfacesDeactivate() {
        assertThat(slots(Scenarios.after(seed, new DisableTarget("stream-a-i", 44)))).doesNotContain(43);
        assertThat(slots(Scenarios.after(seed, new ReportNeighbourFailed("fd00::8", "conduit-a--d7c4"))))
                .doesNotContain(61);
        assertThat(slots(Scenarios.after(seed, new ReportInterfaceDown("conduit-a--d7c4")))).containsExactly(43, 72);
    }

    @Test
    void aPendingTargetSaysWhyInTheOperatorsWords() {
        assertThat(reason(seed, 44)).isEmpty();
        assertThat(reason(Scenarios.after(seed, new DisableTarget("stream-a-i", 44)), 44)).contains("disabled");
        assertThat(reason(Scenarios.after(seed, new ReportNeighbourFailed("fd00::8", "conduit-a--d7c4")), 62))
                .contains("neighbour fd00::8 on conduit-a--d7c4 does not answer (FAILED)");
        assertThat(reason(Scenarios.after(seed, new ReportInterfaceDown("conduit-a--d7c4")), 69))
                .contains("interface conduit-a--d7c4 of conduit conduit-a is down");
        State elsewhere = Scenarios.after(seed, new RegisterTarget("stream-a-i", 5, java.util.List.of("172.16.9.5")));
        assertThat(reason(elsewhere, 5))
                .contains("no interface of conduit conduit-a that is up has a subnet holding 172.16.9.5");
    }

    private static io.vavr.control.Option<String> reason(State state, int identifier) {
        return Planner.pendingReason(state, state.target("stream-a-i", identifier).get());
    }

    @Test
    void eachBgpGatewayAnnouncesTheVipsOfItsFamilyAndAStaticOneNothing() {
        DataplaneSpec spec = Planner.plan(seed);
        assertThat(spec.gateways().get("gateway-a-v4").get().announced())
                .containsExactly(Cidr.parse("20.0.0.1/32").get());
        assertThat(spec.gateways().get("gateway-a-v6").get().announced())
                .containsExactly(Cidr.parse("2000::1/128").get());
        State staticV4 = Scenarios.after(seed, new DefineGateway("gateway-a-v4", "169.254.100.150", "ext-vlan0",
                "static", true, 0, 0));
        assertThat(Planner.plan(staticV4).gateways().get("gateway-a-v4").get().announced()).isEmpty();
    }

    @Test
    void aVipIsAnnouncedOnlyWhileAFlowThatTakesItHasAnActiveTarget() {
        State withB = Scenarios.after(seed,
                new DefineStream("stream-b", "conduit-a", 10),
                new DefineVip("vip-b", "30.0.0.1/32"),
                new DefineFlow("flow-b", "stream-b", 1, java.util.List.of("udp"), java.util.List.of(),
                        java.util.List.of(), java.util.List.of(), java.util.List.of("vip-b"), java.util.List.of()),
                new DefineAttractor("attractor-a-1", java.util.List.of("vip-a-1-v4", "vip-a-1-v6", "vip-b"),
                        java.util.List.of("gateway-a-v4", "gateway-a-v6")));
        assertThat(Planner.plan(withB).gateways().get("gateway-a-v4").get().announced())
                .as("stream-b has no target: vip-b cannot be forwarded")
                .containsExactly(Cidr.parse("20.0.0.1/32").get());
        State active = Scenarios.after(withB, new RegisterTarget("stream-b", 1, java.util.List.of("172.16.0.20")));
        assertThat(Planner.plan(active).gateways().get("gateway-a-v4").get().announced())
                .containsExactly(Cidr.parse("20.0.0.1/32").get(), Cidr.parse("30.0.0.1/32").get());
    }

    @Test
    void vipsAreAnnouncedOnlyWhileSomethingCanForward() {
        State state = seed;
        for (int id : new int[] {44, 62, 69, 73}) {
            state = Scenarios.after(state, new UnregisterTarget("stream-a-i", id));
        }
        assertThat(Planner.plan(state).announcements()).isEmpty();
        assertThat(Planner.plan(state).vipElements()).hasSize(2);
    }

    @Test
    void bgpGatewayRouteExistsOnlyWhileItsSessionIsUp() {
        DataplaneSpec spec = Planner.plan(Scenarios.after(seed, new ReportGatewaySessionDown("gateway-a-v4")));
        assertThat(spec.routes().keySet().filter(table -> table.number() == RoutingTable.GATEWAYS))
                .containsExactly(new RoutingTable(Family.IPV6, RoutingTable.GATEWAYS));
        State configured = Scenarios.fold(Scenarios.seedConfiguration());
        assertThat(Planner.plan(configured).routes()).isEmpty();
    }

    @Test
    void theLoadBalancersSettingsPlanTheQueueingAndTheEnginesOptions() {
        DataplaneSpec defaults = Planner.plan(seed);
        assertThat(defaults.queueing()).contains(new Queueing(0, 4, false, false));
        assertThat(defaults.engine()).isEqualTo(EngineOptions.DEFAULTS);
        DataplaneSpec set = Planner.plan(Scenarios.after(seed,
                new ConfigureLoadBalancer("8:9", 64, true, true, true, 7, 8, 9899, true)));
        assertThat(set.queueing()).contains(new Queueing(8, 2, true, true));
        assertThat(set.queueing().get().statement()).isEqualTo("queue flags bypass,fanout to 8-9");
        assertThat(set.engine()).isEqualTo(new EngineOptions(64, true, true, 7, 8, 9899));
        assertThat(Planner.plan(State.empty()).queueing()).as("no trench, no tables").isEmpty();
    }

    @Test
    void planIsAPureFunctionOfTheState() {
        assertThat(Planner.plan(Scenarios.fold(Scenarios.seed()))).isEqualTo(Planner.plan(seed));
    }

    @Property(tries = 150, seed = "20261126")
    void incrementalPlannerAgreesWithAFreshPlanAtEveryStep(@ForAll long seed) {
        Planner planner = new Planner();
        State state = State.empty();
        for (Command command : new RandomCommands(seed).next(300)) {
            state = Scenarios.after(state, command);
            assertThat(planner.next(state)).as("after %s", command).isEqualTo(Planner.plan(state));
        }
    }

    private static List<Integer> slots(State state) {
        return Planner.plan(state).streams().get("stream-a-i").get().slots().keySet().toList();
    }
}
