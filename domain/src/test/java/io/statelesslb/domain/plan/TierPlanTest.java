package io.statelesslb.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.command.LeaveTier;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Decision;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.decide.ProblemKind;
import io.statelesslb.domain.event.InstanceJoined;
import io.statelesslb.domain.model.Instance;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.collection.List;
import io.vavr.collection.TreeMap;
import io.vavr.control.Option;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The LB tier: instances join and leave as trench-wide facts; each instance plans its own part of the tier. */
class TierPlanTest {

    private final State seed = Scenarios.fold(Scenarios.seed());
    private final State three = Scenarios.after(seed, new JoinTier("lb-1", "169.254.100.1", "ext-vlan0"),
            new JoinTier("lb-2", "169.254.100.2", "ext-vlan0"), new JoinTier("lb-3", "169.254.100.3", "ext-vlan0"));

    @Test
    void instancesTakeTheLowestFreeSlotAndKeepItWhenTheyMove() {
        assertThat(three.instances().values().map(Instance::identifier)).containsExactly(1, 2, 3);
        State moved = Scenarios.after(three, new LeaveTier("lb-1"), new JoinTier("lb-2", "169.254.100.12", "eth1"),
                new JoinTier("lb-4", "169.254.100.4", "ext-vlan0"));
        assertThat(moved.instances().get("lb-2").get())
                .isEqualTo(new Instance("lb-2", 2, IpAddress.parse("169.254.100.12").get(), "eth1"));
        assertThat(moved.instances().get("lb-4").get().identifier()).as("the slot lb-1 left").isEqualTo(1);
    }

    @Test
    void aJoinReportsEveryProblemAndChangesNothing() {
        Decision decision = Decider.decide(three, new JoinTier("lb 9", "169.254.100.2", "bad/name"));
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        List<Problem> problems = ((Decision.Rejected) decision).problems();
        assertThat(problems.map(Problem::field)).containsExactlyInAnyOrder("name", "interfaceName", "address");
        assertThat(problems.find(p -> p.field().equals("address")).get().message())
                .isEqualTo("address=169.254.100.2 (expected: an address no other instance has; instance lb-2 has it)");
        Decision malformed = Decider.decide(three, new JoinTier("lb-9", "169.254.100", "eth0"));
        assertThat(((Decision.Rejected) malformed).problems().map(Problem::kind))
                .containsExactly(ProblemKind.MALFORMED);
        Decision unknown = Decider.decide(three, new LeaveTier("lb-9"));
        assertThat(((Decision.Rejected) unknown).problems().head().message())
                .isEqualTo("instance=lb-9 (expected: one of the defined instances: lb-1, lb-2, lb-3)");
    }

    @Test
    void theTierHoldsThirtyTwoInstances() {
        State full = seed;
        for (int n = 1; n <= Instance.MAX_INSTANCES; n++) {
            full = Scenarios.after(full, new JoinTier("lb-" + n, "10.1.0." + n, "eth0"));
        }
        assertThat(full.instances().size()).isEqualTo(Instance.MAX_INSTANCES);
        Decision oneMore = Decider.decide(full, new JoinTier("lb-33", "10.1.0.33", "eth0"));
        assertThat(((Decision.Rejected) oneMore).problems().map(Problem::kind))
                .containsExactly(ProblemKind.OUT_OF_RANGE);
        assertThat(Scenarios.event(full, new JoinTier("lb-7", "10.1.0.77", "eth0")))
                .as("an instance already in may still move").isInstanceOf(InstanceJoined.class);
    }

    @Test
    void eachInstanceRoutesTheOthersFragmentsToThemAndKeepsItsOwn() {
        DataplaneSpec lb2 = Planner.plan(three, "lb-2");
        TierPlan tier = lb2.engine().tier().get();
        assertThat(tier.maglev()).isEqualTo(new MaglevSpec(Instance.TIER_M, Instance.MAX_INSTANCES));
        assertThat(tier.slots()).isEqualTo(TreeMap.of(0, 4097, 1, 4098, 2, 4099));
        assertThat(tier.ownFwmark()).isEqualTo(4098);
        assertThat(tier.family()).isEqualTo(Family.IPV4);
        assertThat(lb2.rules().filter(rule -> rule.fwmark() > 4096 && rule.fwmark() < 5000))
                .containsExactly(PolicyRule.toTarget(Family.IPV4, 4097, 4097),
                        PolicyRule.toTarget(Family.IPV4, 4099, 4099));
        assertThat(lb2.routes().filterKeys(table -> table.number() > 4096 && table.number() < 5000))
                .isEqualTo(TreeMap.of(
                        new RoutingTable(Family.IPV4, 4097), io.vavr.collection.TreeSet.of(hop("169.254.100.1")),
                        new RoutingTable(Family.IPV4, 4099), io.vavr.collection.TreeSet.of(hop("169.254.100.3"))));
        assertThat(lb2.defragExemptions()).contains("ext-vlan0").contains("conduit-a-*");
        assertThat(lb2.hasPath(4097)).isTrue();
        assertThat(Planner.plan(three, "lb-1").engine().tier().get().slots())
                .as("every instance has the same tier table").isEqualTo(tier.slots());
    }

    @Test
    void anInstanceOutsideTheTierAloneInItOrWithItsInterfaceDownDecidesEveryFragmentItself() {
        assertThat(Planner.plan(three).engine().tier()).as("no instance named").isEmpty();
        assertThat(Planner.plan(three, "lb-9").engine().tier()).as("not joined").isEmpty();
        State alone = Scenarios.after(seed, new JoinTier("lb-1", "169.254.100.1", "ext-vlan0"));
        assertThat(Planner.plan(alone, "lb-1").engine().tier()).isEmpty();
        assertThat(Planner.plan(alone, "lb-1").defragExemptions()).doesNotContain("ext-vlan0");
        State down = Scenarios.after(three, new ReportInterfaceDown("ext-vlan0"));
        DataplaneSpec spec = Planner.plan(down, "lb-2");
        assertThat(spec.engine().tier()).isEmpty();
        assertThat(spec.rules().filter(rule -> rule.fwmark() > 4096 && rule.fwmark() < 5000)).isEmpty();
        State up = Scenarios.after(down, new ReportInterfaceUp("ext-vlan0",
                java.util.List.of("169.254.100.2/24"), 1500));
        assertThat(Planner.plan(up, "lb-2")).isEqualTo(Planner.plan(three, "lb-2"));
    }

    @Test
    void instancesOfAnotherFamilyTakeNoSlot() {
        State mixed = Scenarios.after(three, new JoinTier("lb-6", "fd00::6", "ext-vlan0"));
        assertThat(Planner.plan(mixed, "lb-1").engine().tier().get().slots().keySet()).containsExactly(0, 1, 2);
        assertThat(Planner.plan(mixed, "lb-6").engine().tier()).as("alone in IPv6").isEmpty();
    }

    @Property(tries = 60, seed = "20261206")
    void incrementalPlannerOfAnInstanceAgreesWithAFreshPlanAtEveryStep(@ForAll long seed) {
        Random random = new Random(seed);
        Planner planner = new Planner(Option.some("lb-1"));
        State state = State.empty();
        for (Command command : new RandomCommands(seed).next(200)) {
            state = Scenarios.after(state, command);
            if (random.nextInt(4) == 0) {
                int n = 1 + random.nextInt(3);
                Command tier = random.nextInt(3) == 0 ? new LeaveTier("lb-" + n)
                        : new JoinTier("lb-" + n, "172.16." + random.nextInt(3) + "." + (100 + n),
                        random.nextBoolean() ? "ext0" : "c1-a");
                state = Scenarios.after(state, tier);
            }
            assertThat(planner.next(state)).as("after %s", command).isEqualTo(Planner.plan(state, "lb-1"));
        }
    }

    private static Nexthop hop(String via) {
        return new Nexthop(IpAddress.parse(via).get(), "ext-vlan0");
    }
}
