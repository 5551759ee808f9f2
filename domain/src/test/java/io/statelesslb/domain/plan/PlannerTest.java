package io.statelesslb.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.collection.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final State seed = Scenarios.fold(Scenarios.seed());

    private static TargetPath path(Family family, int fwmark, int priority, String via, String device) {
        return new TargetPath(family, fwmark, fwmark, priority, IpAddress.parse(via).get(), device);
    }

    @Test
    void seedScenarioPlansTheSeedsSlotsRulesAndRoutes() {
        StreamPlan stream = Planner.plan(seed).streams().get("stream-a-i").get();
        assertThat(stream.maglev()).isEqualTo(new MaglevSpec(10000, 100));
        assertThat(stream.slots().toJavaMap()).containsExactly(
                java.util.Map.entry(43, 5044), java.util.Map.entry(61, 5062),
                java.util.Map.entry(68, 5069), java.util.Map.entry(72, 5073));
        assertThat(stream.paths()).containsExactly(
                path(Family.IPV4, 5044, 97, "172.16.1.6", "conduit-a--f75b"),
                path(Family.IPV4, 5062, 98, "172.16.0.8", "conduit-a--d7c4"),
                path(Family.IPV4, 5069, 99, "172.16.0.6", "conduit-a--d7c4"),
                path(Family.IPV4, 5073, 96, "172.16.1.8", "conduit-a--f75b"),
                path(Family.IPV6, 5044, 97, "fd00:0:0:1::6", "conduit-a--f75b"),
                path(Family.IPV6, 5062, 98, "fd00::8", "conduit-a--d7c4"),
                path(Family.IPV6, 5069, 99, "fd00::6", "conduit-a--d7c4"),
                path(Family.IPV6, 5073, 96, "fd00:0:0:1::8", "conduit-a--f75b"));
    }

    @Test
    void seedScenarioPlansVipSetsEgressAndGatewayRoutes() {
        DataplaneSpec spec = Planner.plan(seed);
        Cidr v4 = Cidr.parse("20.0.0.1/32").get();
        Cidr v6 = Cidr.parse("2000::1/128").get();
        assertThat(spec.vipElements()).containsExactly(v4, v6);
        assertThat(spec.egressRules()).containsExactly(new EgressRule(v4, 100, 4096), new EgressRule(v6, 100, 4096));
        assertThat(spec.gatewayRoutes().get(Family.IPV4).get().nexthops())
                .containsExactly(new Nexthop(IpAddress.parse("169.254.100.150").get(), "ext-vlan0"));
        assertThat(spec.gatewayRoutes().get(Family.IPV6).get().nexthops())
                .containsExactly(new Nexthop(IpAddress.parse("100:100::150").get(), "ext-vlan0"));
        assertThat(spec.announcements()).containsExactly(v4, v6);
        FlowSpec flow = spec.flows().get("flow-a-z-tcp").get();
        assertThat(flow.destinations()).containsExactly(v4, v6);
        assertThat(flow.stream()).isEqualTo("stream-a-i");
    }

    @Test
    void targetStaysPendingUntilItsConduitInterfaceAppears() {
        State state = Scenarios.after(seed, new RegisterTarget("stream-a-i", 5, java.util.List.of("172.16.9.5")));
        assertThat(Planner.plan(state).streams().get("stream-a-i").get().slots().containsKey(4)).isFalse();
        state = Scenarios.after(state, new ReportInterfaceUp("conduit-a--new1", java.util.List.of("172.16.9.1/24"), 0));
        StreamPlan plan = Planner.plan(state).streams().get("stream-a-i").get();
        assertThat(plan.slots().get(4).get()).isEqualTo(5005);
        assertThat(plan.paths().filter(p -> p.fwmark() == 5005).map(TargetPath::device))
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
        assertThat(spec.gatewayRoutes().keySet()).containsExactly(Family.IPV6);
        State configured = Scenarios.fold(Scenarios.seedConfiguration());
        assertThat(Planner.plan(configured).gatewayRoutes()).isEmpty();
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
