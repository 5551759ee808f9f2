package io.statelesslb.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.command.LeaveTier;
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
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend of the {@link Dataplane} port does, held to the same words for the simulator and the real
 * kernel: what is applied is what is read back; operations are idempotent, and a refused one does not stop the
 * others; each kind of change made behind the controller's back shows in what is read back and is repaired by the
 * diff; a restart finds what the kernel holds and leaves one of everything; a conduit that goes down and comes back
 * gets every path back; a packet to a VIP is traced to the target its flow's Maglev slot names; the renderings are
 * those of what is held.
 *
 * <p>Each backend's test subclasses this with {@link #onTheSeedsMachine()}: a fresh dataplane on a machine like the
 * seed's load balancer (the conduit interfaces {@code conduit-a--d7c4} 172.16.0.4/24 and {@code conduit-a--f75b}
 * 172.16.1.4/24 with their IPv6 twins, and {@code ext-vlan0} 169.254.100.1/24 toward the gateways, all up), and the
 * hands that change the machine behind the controller's back.
 */
public abstract class DataplaneContractTest {

    private static final IpAddress CLIENT = IpAddress.parse("10.9.0.2").get();
    private static final IpAddress VIP = IpAddress.parse("20.0.0.1").get();
    private static final PolicyRule RULE_44 = PolicyRule.toTarget(Family.IPV4, 97, 5044);
    private static final RoutingTable TABLE_44 = new RoutingTable(Family.IPV4, 5044);

    /** The seed's state: its configuration, machine, gateway sessions and four targets. */
    protected final State seed = Scenarios.fold(Scenarios.seed());
    protected final DataplaneSpec plan = Planner.plan(seed);
    protected Dataplane dataplane;

    /** @return a fresh dataplane of the backend under test, on a machine like the seed's, holding nothing yet */
    protected abstract Dataplane onTheSeedsMachine();

    /** @return a new dataplane on the same machine, after closing {@code running}: a restart of the process */
    protected abstract Dataplane restart(Dataplane running);

    /** {@code ip rule del ...}, by an operator's hand. */
    protected abstract void deleteRule(PolicyRule rule);

    /** {@code ip route del default table N}, by an operator's hand. */
    protected abstract void deleteRoute(RoutingTable table);

    /** {@code nft delete element ...} of a VIP, by an operator's hand. */
    protected abstract void deleteVipElement(Cidr vip);

    /** {@code nft delete rule inet meridio-defrag pre-defrag handle N} of an exemption, by an operator's hand. */
    protected abstract void deleteDefragExemption(String pattern);

    /** {@code nft delete chain inet meridio-nfqlb nfqlb}, by an operator's hand: VIP traffic is queued no more. */
    protected abstract void deleteQueueingChain();

    /** {@code nft flush table inet meridio-nat}, by an operator's hand: no port is translated any more. */
    protected abstract void flushPortNats();

    /** Leaves a route of the load balancer's (tagged as its own) that no plan has, as a crashed run would. */
    protected abstract void leaveStrayRoute(RoutingTable table, Nexthop hop);

    /** Leaves a rule of the load balancer's (tagged as its own) that no plan has, as a crashed run would. */
    protected abstract void leaveStrayRule(PolicyRule rule);

    /**
     * {@code ip link set dev DEVICE down}.
     *
     * @param observed the state as it has observed the machine so far
     * @return what the kernel reports of the change, to be decided into the state
     */
    protected abstract List<ObservationCommand> linkDown(String device, State observed);

    /**
     * {@code ip link set dev DEVICE up}, and its addresses put back by whoever owns the interface (the kernel drops
     * IPv6 addresses when a link goes down).
     *
     * @return what the kernel reports of the change
     */
    protected abstract List<ObservationCommand> linkUp(String device, int mtu, List<String> addresses,
                                                       State observed);

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

    /** Brings the dataplane to {@code desired} from what it reads back, as the reconciler does. */
    private void reconcile(DataplaneSpec desired) {
        List<Op> ops = Diff.diff(dataplane.actual(), desired);
        assertThat(dataplane.apply(ops)).as("applying %s", ops).isEqualTo(new ApplyResult.Applied(ops.size()));
        assertThat(dataplane.actual()).isEqualTo(desired);
    }

    @Test
    void aFreshDataplaneHoldsNothing() {
        assertThat(dataplane.actual()).isEqualTo(DataplaneSpec.empty());
    }

    @Test
    void whatIsAppliedIsWhatIsReadBack() {
        reconcile(plan);
        assertThat(Diff.diff(dataplane.actual(), plan)).as("nothing left to do").isEmpty();
    }

    @Test
    void applyingTheSameOperationsAgainChangesNothing() {
        List<Op> ops = Diff.diff(dataplane.actual(), plan);
        dataplane.apply(ops);
        assertThat(dataplane.apply(ops)).isEqualTo(new ApplyResult.Applied(ops.size()));
        assertThat(dataplane.actual()).isEqualTo(plan);
    }

    @Test
    void aTargetLeavingTakesItsSlotRulesAndRoutesAndNothingElse() {
        reconcile(plan);
        DataplaneSpec without44 = Planner.plan(Scenarios.after(seed, new UnregisterTarget("stream-a-i", 44)));
        List<Op> ops = Diff.diff(dataplane.actual(), without44);
        assertThat(ops).extracting(Op::describe).allSatisfy(op -> assertThat(op).containsAnyOf("5044", "0x13b4"));
        reconcile(without44);
    }

    @Test
    void anInstanceOfTheLbTierHoldsTheTierAndItsRoutesToTheOthersAndLosesThemWhenItLeaves() {
        State tier = Scenarios.after(seed, new JoinTier("lb-1", "169.254.100.1", "ext-vlan0"),
                new JoinTier("lb-2", "169.254.100.2", "ext-vlan0"), new JoinTier("lb-3", "169.254.100.3", "ext-vlan0"));
        DataplaneSpec lb1 = Planner.plan(tier, "lb-1");
        reconcile(lb1);
        assertThat(dataplane.actual().engine().tier()).isEqualTo(lb1.engine().tier());
        assertThat(dataplane.actual().routes().get(new RoutingTable(Family.IPV4, 4098)).get())
                .containsExactly(new Nexthop(IpAddress.parse("169.254.100.2").get(), "ext-vlan0"));
        assertThat(dataplane.actual().defragExemptions()).contains("ext-vlan0");
        DataplaneSpec left = Planner.plan(Scenarios.after(tier, new LeaveTier("lb-1")), "lb-1");
        reconcile(left);
        assertThat(left).isEqualTo(plan);
    }

    @Test
    void aRefusedOperationIsSkippedAndTheOthersAreApplied() {
        reconcile(plan);
        Cidr vip = Cidr.host(VIP);
        List<Op> ops = List.of(new Op.RemoveVipElement(vip), new Op.ActivateSlot("stream-a-i", 0, 5001),
                new Op.RemoveRule(PolicyRule.fromVip(vip)));
        ApplyResult result = dataplane.apply(ops);
        assertThat(result).isInstanceOfSatisfying(ApplyResult.Failed.class, failed -> {
            assertThat(failed.applied()).isEqualTo(2);
            assertThat(failed.refusals()).singleElement().satisfies(refusal -> {
                assertThat(refusal.index()).isEqualTo(1);
                assertThat(refusal.error()).contains("fwmark 5001 has no rule and route");
            });
        });
        assertThat(dataplane.actual().vipElements()).doesNotContain(vip);
        assertThat(dataplane.actual().rules()).doesNotContain(PolicyRule.fromVip(vip));
        assertThat(dataplane.actual().streams().get("stream-a-i").get().slots().containsKey(0)).isFalse();
    }

    @Test
    void newLoadBalancerSettingsReinstallTheTablesKeepingWhatTheyHold() {
        reconcile(plan);
        DataplaneSpec bypassing = Planner.plan(Scenarios.after(seed,
                new ConfigureLoadBalancer("0:1", 256, true, false, true, 0, 0, 0, false)));
        assertThat(Diff.diff(dataplane.actual(), bypassing)).extracting(Op::describe).containsExactly(
                "nfqlb options: --qlength=256 --promiscuous_ping --nolb_fwmark=0 --notargets_fwmark=0 --sctp_encap=0",
                "nft -f: tables inet meridio-nfqlb (queue flags bypass to 0-1), meridio-nat, meridio-defrag");
        reconcile(bypassing);
        assertThat(dataplane.actual().vipElements()).isEqualTo(plan.vipElements());
        reconcile(plan);
    }

    @Test
    void aRuleDeletedByHandIsReadBackMissingAndRepaired() {
        reconcile(plan);
        deleteRule(RULE_44);
        assertThat(Drift.observe(plan, dataplane.actual())).extracting(RecordDrift::repair)
                .containsExactly("ip rule add pref 97 fwmark 0x13b4 lookup 5044");
        reconcile(plan);
    }

    @Test
    void aRouteDeletedByHandIsReadBackMissingAndRepaired() {
        reconcile(plan);
        deleteRoute(TABLE_44);
        assertThat(Drift.observe(plan, dataplane.actual())).extracting(RecordDrift::repair)
                .containsExactly("ip route replace default via 172.16.1.6 dev conduit-a--f75b table 5044");
        reconcile(plan);
    }

    @Test
    void aChangeByHandIsToldSoonAfter() throws InterruptedException {
        reconcile(plan);
        CountDownLatch told = new CountDownLatch(1);
        dataplane.onChange(told::countDown);
        deleteRule(RULE_44);
        assertThat(told.await(2, TimeUnit.SECONDS)).as("told within 2 s").isTrue();
    }

    @Test
    void aVipElementDeletedByHandIsReadBackMissingAndRepaired() {
        reconcile(plan);
        deleteVipElement(Cidr.parse("2000::1/128").get());
        assertThat(Drift.observe(plan, dataplane.actual())).extracting(RecordDrift::repair)
                .containsExactly("nft add element inet meridio-nfqlb ipv6-vips { 2000::1/128 }");
        reconcile(plan);
    }

    @Test
    void aDefragExemptionDeletedByHandIsReadBackMissingAndRepaired() {
        reconcile(plan);
        deleteDefragExemption("conduit-a-*");
        assertThat(Drift.observe(plan, dataplane.actual())).extracting(RecordDrift::repair)
                .containsExactly("nft add rule inet meridio-defrag pre-defrag iifname \"conduit-a-*\" notrack");
        reconcile(plan);
    }

    @Test
    void aChainDeletedByHandIsReadBackAndTheTablesAreMadeWholeAgainKeepingWhatTheyHold() {
        reconcile(plan);
        deleteQueueingChain();
        DataplaneSpec broken = dataplane.actual();
        assertThat(broken.queueing()).isEmpty();
        assertThat(broken.vipElements()).as("the sets are still there").isEqualTo(plan.vipElements());
        assertThat(Drift.observe(plan, broken)).extracting(RecordDrift::repair).containsExactly(
                "nft -f: tables inet meridio-nfqlb (queue to 0-3), meridio-nat, meridio-defrag");
        reconcile(plan);
    }

    @Test
    void portTranslationsAreReadBackTracedAndRepairedAfterAFlushByHand() {
        List<Command> commands = new ArrayList<>(Scenarios.seed());
        commands.add(new DefineConduit("conduit-a", "conduit-a-", List.of(
                new DefineConduit.DestinationPortNat("tcp", 4000, 8080, List.of("vip-a-1-v4", "vip-a-1-v6")),
                new DefineConduit.DestinationPortNat("udp", 53, 5353, List.of("vip-a-1-v4")))));
        DataplaneSpec translated = Planner.plan(Scenarios.fold(commands));
        assertThat(translated.portNats()).hasSize(3);
        reconcile(translated);
        PacketTrace trace = dataplane.trace(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 4000), "ext-vlan0");
        assertThat(trace.outcome()).isEqualTo(PacketTrace.Outcome.TO_TARGET);
        assertThat(trace.steps().get(trace.steps().size() - 1)).isEqualTo("nft inet meridio-nat chain port-nat-out:"
                + " oifname \"conduit-a-*\" ip daddr 20.0.0.1 tcp dport 4000 counter tcp dport set 8080"
                + " (destination port 4000 -> 8080)");

        flushPortNats();
        assertThat(dataplane.actual().portNats()).isEmpty();
        assertThat(Drift.observe(translated, dataplane.actual())).extracting(RecordDrift::repair).contains(
                "nft add rule inet meridio-nat port-nat-out oifname \"conduit-a-*\" ip daddr 20.0.0.1 udp dport 53"
                        + " counter udp dport set 5353; nft add rule inet meridio-nat port-nat-in iifname"
                        + " \"conduit-a-*\" ip saddr 20.0.0.1 udp sport 5353 counter udp sport set 53");
        reconcile(translated);
        assertThat(dataplane.render()).filteredOn(view -> view.command().equals("nft list ruleset")).singleElement()
                .extracting(Rendering::output).asString()
                .contains("\t\toifname \"conduit-a-*\" ip6 daddr 2000::1 tcp dport 4000 counter packets 0 bytes 0"
                        + " tcp dport set 8080\n");
        reconcile(plan);
        assertThat(dataplane.actual().portNats()).as("translations no more").isEmpty();
    }

    @Test
    void strayRulesAndRoutesOfOursAreReadBackAndRemoved() {
        reconcile(plan);
        leaveStrayRoute(new RoutingTable(Family.IPV4, 5001), new Nexthop(IpAddress.parse("172.16.0.9").get(),
                "conduit-a--d7c4"));
        leaveStrayRule(PolicyRule.toTarget(Family.IPV4, 90, 5001));
        assertThat(Drift.observe(plan, dataplane.actual())).extracting(RecordDrift::repair).containsExactly(
                "ip rule del pref 90 fwmark 0x1389 lookup 5001", "ip route del default table 5001");
        reconcile(plan);
    }

    @Test
    void aRestartFindsWhatTheKernelHoldsAndLeavesOneOfEverything() {
        reconcile(plan);
        dataplane = restart(dataplane);
        DataplaneSpec found = dataplane.actual();
        assertThat(found.rules()).isEqualTo(plan.rules());
        assertThat(found.routes().filterKeys(table -> table.number() != RoutingTable.GATEWAYS))
                .isEqualTo(plan.routes().filterKeys(table -> table.number() != RoutingTable.GATEWAYS));
        assertThat(found.vipElements()).isEqualTo(plan.vipElements());
        assertThat(found.defragExemptions()).isEqualTo(plan.defragExemptions());
        List<Op> ops = Diff.diff(found, plan);
        assertThat(ops).as("only the process's own part is set up again").allSatisfy(op -> assertThat(op)
                .isInstanceOfAny(Op.ConfigureMaglev.class, Op.ActivateSlot.class, Op.PutFlow.class,
                        Op.PutGateway.class));
        reconcile(plan);
    }

    @Test
    void aConduitInterfaceGoingDownAndComingBackGetsEveryPathBack() {
        reconcile(plan);
        State down = Scenarios.after(seed, linkDown("conduit-a--f75b", seed).toArray(ObservationCommand[]::new));
        dataplane.follow(Machine.of(down));
        assertThat(dataplane.actual().routes().keySet()).as("the kernel flushed the routes through it")
                .doesNotContain(TABLE_44, new RoutingTable(Family.IPV4, 5073));
        DataplaneSpec withoutIt = Planner.plan(down);
        assertThat(withoutIt.streams().get("stream-a-i").get().slots().values()).containsExactly(5062, 5069);
        reconcile(withoutIt);
        State up = Scenarios.after(down, linkUp("conduit-a--f75b", 1500,
                List.of("172.16.1.4/24", "fd00:0:0:1::4/64"), down).toArray(ObservationCommand[]::new));
        dataplane.follow(Machine.of(up));
        DataplaneSpec back = Planner.plan(up);
        assertThat(back.streams()).isEqualTo(plan.streams());
        assertThat(back.routes()).isEqualTo(plan.routes());
        reconcile(back);
    }

    @Test
    void aPacketToTheVipIsTracedToTheTargetItsSlotNames() {
        reconcile(plan);
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
        reconcile(plan);
        PacketTrace trace = dataplane.trace(PacketBuilder.first(Protocol.TCP, CLIENT, 40000, VIP, 80), "ext-vlan0");
        assertThat(trace.outcome()).isEqualTo(PacketTrace.Outcome.DROPPED);
        assertThat(trace.dropReason()).isEqualTo("load balancer: no flow matches");
    }

    @Test
    void theRenderingsAreThoseOfWhatIsHeld() {
        reconcile(plan);
        List<Rendering> views = dataplane.render();
        assertThat(views).filteredOn(view -> view.command().equals("ip rule")).singleElement()
                .extracting(Rendering::output).isEqualTo(LinuxViews.ipRules(plan, Family.IPV4));
        assertThat(views).filteredOn(view -> view.command().equals("ip route show table 5044")).singleElement()
                .extracting(Rendering::output).isEqualTo(LinuxViews.ipRoutes(plan, Family.IPV4, 5044));
        assertThat(views).filteredOn(view -> view.command().equals("nfqlb flow-list")).singleElement()
                .extracting(Rendering::output).isEqualTo(LinuxViews.nfqlbFlowList(plan));
    }

    @Test
    void aBackendThatObservesItsMachineReportsTheInterfacesThatMatterAndAnotherFollowsTheLog() {
        State configured = Scenarios.fold(Scenarios.seedConfiguration());
        List<ObservationCommand> reports = dataplane.observe(configured);
        if (dataplane.observesMachine()) {
            assertThat(reports).filteredOn(ReportInterfaceUp.class::isInstance)
                    .map(report -> ((ReportInterfaceUp) report).name())
                    .as("the conduits' interfaces and the gateways'; not the loopback nor any other")
                    .containsExactlyInAnyOrder("conduit-a--d7c4", "conduit-a--f75b", "ext-vlan0");
            assertThat(reports).filteredOn(ReportInterfaceUp.class::isInstance)
                    .map(report -> (ReportInterfaceUp) report)
                    .anySatisfy(up -> assertThat(up.addresses()).contains("172.16.0.4/24"));
            State observed = Scenarios.after(configured, reports.toArray(ObservationCommand[]::new));
            assertThat(dataplane.observe(observed).stream().filter(ReportInterfaceUp.class::isInstance))
                    .as("nothing new once the state has observed it").isEmpty();
        } else {
            assertThat(reports).isEmpty();
        }
    }
}
