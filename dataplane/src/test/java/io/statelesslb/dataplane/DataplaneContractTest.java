package io.statelesslb.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Drift;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend of the {@link Dataplane} port does, held to the same words for the simulator and the real
 * kernel: operations are applied in order and stop at a refusal, what is applied is what is read back, a change made
 * behind the controller's back shows in what is read back and is repaired by the diff, a packet to a VIP is traced
 * to the target its flow's Maglev slot names, and the renderings are those of what is held.
 *
 * <p>Each backend's test subclasses this with {@link #onTheSeedsMachine()}: a fresh dataplane on a machine like the
 * seed's load balancer (the conduit interfaces {@code conduit-a--d7c4} 172.16.0.4/24 and {@code conduit-a--f75b}
 * 172.16.1.4/24 with their IPv6 twins, and {@code ext-vlan0} 169.254.100.1/24 toward the gateways, all up).
 */
public abstract class DataplaneContractTest {

    private static final IpAddress CLIENT = IpAddress.parse("10.9.0.2").get();
    private static final IpAddress VIP = IpAddress.parse("20.0.0.1").get();

    /** The seed's state: its configuration, machine, gateway sessions and four targets. */
    protected final State seed = Scenarios.fold(Scenarios.seed());
    protected final DataplaneSpec plan = Planner.plan(seed);
    protected Dataplane dataplane;

    /** @return a fresh dataplane of the backend under test, on a machine like the seed's, holding nothing yet */
    protected abstract Dataplane onTheSeedsMachine();

    /**
     * Deletes a target's rule and route of one family behind the controller's back, as an operator typing
     * {@code ip rule del} and {@code ip route del} would.
     */
    protected abstract void deletePathBehindTheBack(Family family, int fwmark, int rulePriority, int table);

    /** Releases what {@link #onTheSeedsMachine()} made; called after the dataplane is closed. */
    protected void tearDownMachine() {
    }

    @BeforeEach
    void openOnTheSeedsMachine() {
        dataplane = onTheSeedsMachine();
        dataplane.follow(Machine.of(seed));
    }

    @AfterEach
    void closeTheDataplane() {
        try {
            if (dataplane != null) {
                dataplane.close();
            }
        } finally {
            tearDownMachine();
        }
    }

    private void applySeed() {
        List<Op> ops = Diff.diff(dataplane.actual(), plan);
        assertThat(dataplane.apply(ops)).isEqualTo(new ApplyResult.Applied(ops.size()));
    }

    @Test
    void aFreshDataplaneHoldsNothing() {
        assertThat(dataplane.actual()).isEqualTo(DataplaneSpec.empty());
    }

    @Test
    void whatIsAppliedIsWhatIsReadBack() {
        applySeed();
        assertThat(dataplane.actual()).isEqualTo(plan);
        assertThat(Diff.diff(dataplane.actual(), plan)).as("nothing left to do").isEmpty();
    }

    @Test
    void aTargetLeavingTakesItsSlotAndPathsAndNothingElse() {
        applySeed();
        DataplaneSpec without44 = Planner.plan(Scenarios.after(seed, new UnregisterTarget("stream-a-i", 44)));
        List<Op> ops = Diff.diff(dataplane.actual(), without44);
        assertThat(ops).extracting(Op::describe).allSatisfy(op -> assertThat(op).containsAnyOf("5044", "0x13b4"));
        assertThat(dataplane.apply(ops)).isEqualTo(new ApplyResult.Applied(ops.size()));
        assertThat(dataplane.actual()).isEqualTo(without44);
    }

    @Test
    void aRefusedOperationStopsTheRestAndThoseBeforeItStayApplied() {
        applySeed();
        Cidr vip = Cidr.host(VIP);
        List<Op> ops = List.of(new Op.RemoveVipElement(vip), new Op.RemoveVipElement(vip),
                new Op.RemoveEgressRule(plan.egressRules().head()));
        ApplyResult result = dataplane.apply(ops);
        assertThat(result).isInstanceOfSatisfying(ApplyResult.Failed.class, failed -> {
            assertThat(failed.applied()).isEqualTo(1);
            assertThat(failed.op()).isEqualTo(ops.get(1));
            assertThat(failed.error()).isNotBlank();
        });
        assertThat(dataplane.actual().vipElements()).doesNotContain(vip);
        assertThat(dataplane.actual().egressRules()).as("not reached").isEqualTo(plan.egressRules());
    }

    @Test
    void aPathDeletedBehindItsBackIsReadBackMissingAndRepaired() {
        applySeed();
        deletePathBehindTheBack(Family.IPV4, 5044, 97, 5044);
        DataplaneSpec actual = dataplane.actual();
        assertThat(actual).isNotEqualTo(plan);
        List<RecordDrift> drift = Drift.observe(plan, actual);
        assertThat(drift).extracting(RecordDrift::repair).contains("ip route add default via 172.16.1.6 dev"
                + " conduit-a--f75b table 5044; ip rule add pref 97 fwmark 0x13b4 lookup 5044");
        List<Op> repair = Diff.diff(actual, plan);
        assertThat(dataplane.apply(repair)).isEqualTo(new ApplyResult.Applied(repair.size()));
        assertThat(dataplane.actual()).isEqualTo(plan);
    }

    @Test
    void aPacketToTheVipIsTracedToTheTargetItsSlotNames() {
        applySeed();
        Set<Integer> targets = Set.of(5044, 5062, 5069, 5073);
        List<Integer> fwmarks = new ArrayList<>();
        for (int port = 40000; port < 40020; port++) {
            PacketTrace trace = dataplane.trace(PacketBuilder.first(Protocol.TCP, CLIENT, port, VIP, 4000),
                    "ext-vlan0");
            assertThat(trace.outcome()).as(trace.render()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
            assertThat(trace.flow()).isEqualTo("flow-a-z-tcp");
            assertThat(trace.stream()).isEqualTo("stream-a-i");
            assertThat(trace.fwmark()).isIn(targets);
            assertThat(trace.egress()).isEqualTo(trace.nextHop().startsWith("172.16.1.") ? "conduit-a--f75b"
                    : "conduit-a--d7c4");
            fwmarks.add(trace.fwmark());
        }
        assertThat(new HashSet<>(fwmarks)).as("twenty flows spread over more than one target").hasSizeGreaterThan(1);
    }

    @Test
    void aPacketToNoFlowIsDroppedWithTheReason() {
        applySeed();
        PacketTrace trace = dataplane.trace(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 80), "ext-vlan0");
        assertThat(trace.outcome()).isEqualTo(PacketTrace.Outcome.DROPPED);
        assertThat(trace.dropReason()).isEqualTo("load balancer: no flow matches");
    }

    @Test
    void theRenderingsAreThoseOfWhatIsHeld() {
        applySeed();
        List<Rendering> views = dataplane.render();
        assertThat(views).filteredOn(view -> view.command().equals("ip rule")).singleElement()
                .extracting(Rendering::output).isEqualTo(LinuxViews.ipRules(plan, Family.IPV4));
        assertThat(views).filteredOn(view -> view.command().equals("ip route show table 5044")).singleElement()
                .extracting(Rendering::output).isEqualTo(LinuxViews.ipRoutes(plan, Family.IPV4, 5044));
        assertThat(views).filteredOn(view -> view.command().equals("nfqlb flow-list")).singleElement()
                .extracting(Rendering::output).isEqualTo(LinuxViews.nfqlbFlowList(plan));
    }

    @Test
    void aBackendThatObservesItsMachineReportsItsInterfacesAndAnotherFollowsTheLog() {
        List<ObservationCommand> reports = dataplane.observe(State.empty());
        if (dataplane.observesMachine()) {
            assertThat(reports).filteredOn(ReportInterfaceUp.class::isInstance)
                    .map(report -> (ReportInterfaceUp) report)
                    .anySatisfy(up -> {
                        assertThat(up.name()).isEqualTo("conduit-a--d7c4");
                        assertThat(up.addresses()).contains("172.16.0.4/24");
                    });
            assertThat(dataplane.observe(Scenarios.after(State.empty(), reports.toArray(ObservationCommand[]::new))))
                    .as("nothing new once the state has observed it").isEmpty();
        } else {
            assertThat(reports).isEmpty();
        }
    }
}
