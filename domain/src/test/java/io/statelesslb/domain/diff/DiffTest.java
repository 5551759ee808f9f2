package io.statelesslb.domain.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteFlow;
import io.statelesslb.domain.command.DeleteStream;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DiffTest {

    private static DataplaneSpec applied(DataplaneSpec from, List<Op> ops) {
        var result = Op.effectOfAll(from, ops);
        assertThat(result.isRight()).as("%s", result.swap().getOrElse("")).isTrue();
        return result.get();
    }

    /** @return {@code spec} without the gateways' table, which the routing daemon writes and no op ever touches */
    private static DataplaneSpec ours(DataplaneSpec spec) {
        return spec.withRoutes(spec.routes().filterKeys(table -> table.number() != RoutingTable.GATEWAYS));
    }

    private static List<Class<?>> kinds(List<Op> ops) {
        List<Class<?>> kinds = new ArrayList<>();
        ops.forEach(op -> kinds.add(op.getClass()));
        return kinds;
    }

    @Property(tries = 150, seed = "20261126")
    void applyingTheDiffOfTwoPlansGivesTheDesiredPlan(@ForAll long seed) {
        RandomCommands random = new RandomCommands(seed);
        DataplaneSpec a = Planner.plan(Scenarios.fold(random.next(200)));
        DataplaneSpec b = Planner.plan(Scenarios.fold(random.next(200)));
        assertThat(ours(applied(a, Diff.diff(a, b)))).isEqualTo(ours(b));
        assertThat(ours(applied(b, Diff.diff(b, a)))).isEqualTo(ours(a));
        assertThat(ours(applied(DataplaneSpec.empty(), Diff.diff(DataplaneSpec.empty(), b)))).isEqualTo(ours(b));
        assertThat(ours(applied(b, Diff.diff(b, DataplaneSpec.empty())))).isEqualTo(ours(DataplaneSpec.empty()));
    }

    @Property(tries = 100, seed = "20261126")
    void everyStepOfAHistoryDiffsAndAppliesSafely(@ForAll long seed) {
        Planner planner = new Planner();
        State state = State.empty();
        DataplaneSpec applied = DataplaneSpec.empty();
        for (Command command : new RandomCommands(seed).next(300)) {
            state = Scenarios.after(state, command);
            DataplaneSpec desired = planner.next(state);
            applied = applied(applied, Diff.diff(applied, desired));
            assertThat(ours(applied)).isEqualTo(ours(desired));
        }
    }

    @Property(tries = 100, seed = "20261126")
    void diffOfAPlanWithItselfIsEmpty(@ForAll long seed) {
        State state = Scenarios.fold(new RandomCommands(seed).next(300));
        assertThat(Diff.diff(Planner.plan(state), Planner.plan(state))).isEmpty();
    }

    @Test
    void singleTargetChangeOnAHundredTargetStreamIsItsSlotRulesAndRoutesOnly() {
        State full = Scenarios.fold(Scenarios.large(1, 100));
        State less = Scenarios.after(full, new UnregisterTarget("stream-0", 57));
        assertThat(less).isNotSameAs(full);
        List<Op> unregister = Diff.diff(Planner.plan(full), Planner.plan(less));
        assertThat(kinds(unregister)).containsExactly(Op.DeactivateSlot.class, Op.RemoveRule.class,
                Op.RemoveRule.class, Op.RemoveRoute.class, Op.RemoveRoute.class);
        List<Op> register = Diff.diff(Planner.plan(less), Planner.plan(full));
        assertThat(kinds(register)).containsExactly(Op.SetRoute.class, Op.SetRoute.class, Op.AddRule.class,
                Op.AddRule.class, Op.ActivateSlot.class);
    }

    @Test
    void aNewTargetGetsRouteAndRuleBeforeItsSlotIsActivated() {
        State seed = Scenarios.fold(Scenarios.seed());
        State more = Scenarios.after(seed, new RegisterTarget("stream-a-i", 5, List.of("172.16.0.5")));
        List<Op> ops = Diff.diff(Planner.plan(seed), Planner.plan(more));
        assertThat(ops).extracting(Op::describe).containsExactly(
                "ip route replace default via 172.16.0.5 dev conduit-a--d7c4 table 5005",
                "ip rule add pref 95 fwmark 0x138d lookup 5005",
                "maglev stream-a-i: activate slot 4 fwmark 5005");
    }

    @Test
    void aRouteMovingToAnotherInterfaceIsReplacedInPlaceWhileItsSlotStaysActive() {
        State seed = Scenarios.fold(Scenarios.seed());
        // A second conduit interface sorting first now also holds 172.16.1.0/24: targets 44 and 73 move to it.
        State moved = Scenarios.after(seed, new ReportInterfaceUp("conduit-a--0000", List.of("172.16.1.40/24"), 0));
        List<Op> ops = Diff.diff(Planner.plan(seed), Planner.plan(moved));
        assertThat(ops).extracting(Op::describe).containsExactly(
                "ip route replace default via 172.16.1.6 dev conduit-a--0000 table 5044",
                "ip route replace default via 172.16.1.8 dev conduit-a--0000 table 5073");
        assertThat(ours(applied(Planner.plan(seed), ops))).isEqualTo(ours(Planner.plan(moved)));
    }

    @Test
    void aFlowMovesToItsNewStreamBeforeTheOldStreamIsDeleted() {
        List<Command> commands = new ArrayList<>(Scenarios.seed());
        State before = Scenarios.fold(commands);
        commands.add(new DefineConduit("conduit-b", ""));
        commands.add(new DefineStream("stream-b", "conduit-b", 10));
        commands.add(new DefineFlow("flow-a-z-tcp", "stream-b", 1, List.of("tcp"), List.of(), List.of(),
                List.of("4000"), List.of("vip-a-1-v4"), List.of()));
        for (int id : new int[] {44, 62, 69, 73}) {
            commands.add(new UnregisterTarget("stream-a-i", id));
        }
        commands.add(new DeleteStream("stream-a-i"));
        State after = Scenarios.fold(commands);
        assertThat(after.streams().keySet()).containsExactly("stream-b");
        List<Op> ops = Diff.diff(Planner.plan(before), Planner.plan(after));
        List<Class<?>> kinds = kinds(ops);
        assertThat(kinds.indexOf(Op.ConfigureMaglev.class)).isLessThan(kinds.indexOf(Op.PutFlow.class));
        assertThat(kinds.indexOf(Op.PutFlow.class)).isLessThan(kinds.indexOf(Op.DeleteMaglev.class));
        assertThat(kinds.lastIndexOf(Op.DeactivateSlot.class)).isLessThan(kinds.indexOf(Op.RemoveRule.class));
        assertThat(kinds.lastIndexOf(Op.RemoveRule.class)).isLessThan(kinds.indexOf(Op.RemoveRoute.class));
        assertThat(ours(applied(Planner.plan(before), ops))).isEqualTo(ours(Planner.plan(after)));
    }

    @Test
    void aVipIsQueuedOnlyAfterItsFlowExistsAndUnqueuedBeforeItGoes() {
        State seed = Scenarios.fold(Scenarios.seed());
        State more = Scenarios.after(seed, new DefineVip("vip-b", "30.0.0.1/32"),
                new DefineFlow("flow-b", "stream-a-i", 2, List.of(), List.of(), List.of(), List.of(),
                        List.of("vip-b"), List.of()));
        List<Class<?>> added = kinds(Diff.diff(Planner.plan(seed), Planner.plan(more)));
        assertThat(added.indexOf(Op.PutFlow.class)).isLessThan(added.indexOf(Op.AddVipElement.class));
        State fewer = Scenarios.after(more, new DeleteFlow("flow-b"), new DeleteVip("vip-b"));
        List<Class<?>> removed = kinds(Diff.diff(Planner.plan(more), Planner.plan(fewer)));
        assertThat(removed.indexOf(Op.RemoveVipElement.class)).isLessThan(removed.indexOf(Op.RemoveFlow.class));
    }

    @Test
    void opsRefuseOnlyWhatWouldSteerPacketsNowhere() {
        DataplaneSpec seed = Planner.plan(Scenarios.fold(Scenarios.seed()));
        assertThat(new Op.ActivateSlot("stream-a-i", 0, 5001).effect(seed).getLeft())
                .isEqualTo("fwmark 5001 has no rule and route: packets would be steered nowhere");
        PolicyRule rule44 = PolicyRule.toTarget(Family.IPV4, 97, 5044);
        assertThat(new Op.RemoveRule(rule44).effect(seed).getLeft())
                .isEqualTo("fwmark 5044 is still active (deactivate its slot first)");
        assertThat(new Op.RemoveRoute(new RoutingTable(Family.IPV6, 5044)).effect(seed).getLeft())
                .isEqualTo("fwmark 5044 is still active and looks up 5044 (deactivate its slot first)");
        DataplaneSpec withoutSlot = applied(seed, List.of(new Op.DeactivateSlot("stream-a-i", 43, 5044)));
        assertThat(applied(withoutSlot, List.of(new Op.RemoveRule(rule44))).rules()).doesNotContain(rule44);
    }

    @Test
    void opsAreIdempotentAddingWhatIsThereAndRemovingWhatIsNot() {
        DataplaneSpec seed = Planner.plan(Scenarios.fold(Scenarios.seed()));
        Cidr vip = Cidr.parse("20.0.0.1/32").get();
        Cidr absent = Cidr.parse("30.0.0.1/32").get();
        RoutingTable table = new RoutingTable(Family.IPV4, 5044);
        List<Op> again = List.of(new Op.AddVipElement(vip), new Op.RemoveVipElement(absent),
                new Op.AddRule(seed.rules().head()), new Op.RemoveRule(PolicyRule.toTarget(Family.IPV4, 50, 6000)),
                new Op.SetRoute(table, seed.routes().get(table).get()),
                new Op.RemoveRoute(new RoutingTable(Family.IPV4, 6000)),
                new Op.ActivateSlot("stream-a-i", 43, 5044), new Op.DeactivateSlot("stream-a-i", 1, 5002),
                new Op.AddDefragExemption("conduit-a-*"), new Op.RemoveDefragExemption("conduit-z-*"),
                new Op.PutGateway(seed.gateways().get("gateway-a-v4").get()), new Op.RemoveGateway("no-such"),
                new Op.RemoveFlow("no-such-flow"),
                new Op.ConfigureMaglev("stream-a-i", seed.streams().get("stream-a-i").get().maglev()),
                new Op.DeleteMaglev("no-such-stream"));
        assertThat(applied(seed, again)).isEqualTo(seed);
    }
}
