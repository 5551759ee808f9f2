package io.statelesslb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.flow.FlowGoldenTestFlows;
import io.statelesslb.engine.flow.FlowRule;
import io.statelesslb.engine.flow.Mismatch;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {

    /** TCP SYN 172.77.250.108:34574 -> 20.0.0.1:4000 (golden/flows.jsonl style). */
    private static final byte[] TCP_TO_VIP = HexFormat.of().parseHex(
            "45000028000100004006f6daac8cc36714000001a12f0fa00000000000000000500220005b1e0000");
    /** TCP to 30.0.0.1, which no golden flow covers. */
    private static final byte[] TCP_ELSEWHERE = HexFormat.of().parseHex(
            "45000028000100004006f6daac8cc3671e000001a12f0fa00000000000000000500220005b1e0000");

    private final PermutationCache cache = new PermutationCache();
    private final AtomicLong clock = new AtomicLong();
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();

    private Maglev maglev(int... fwmarkBySlot) {
        Maglev maglev = new Maglev(97, fwmarkBySlot.length, cache);
        maglev.setAll(fwmarkBySlot);
        return maglev;
    }

    private EngineConfig config(Maglev maglev, int noFlow, int noTargets, Maglev lbTier, int own) {
        List<FlowRule> flows = FlowGoldenTestFlows.all();
        List<Maglev> maglevs = new ArrayList<>();
        flows.forEach(f -> maglevs.add(maglev));
        return new EngineConfig(FlowClassifier.compile(flows, false), maglevs, noFlow, noTargets, 0, lbTier, own);
    }

    private LoadBalancer engine(EngineConfig config) {
        return new LoadBalancer(config, new FragmentTable(64, 4, 2048, 1_000_000L), clock::get);
    }

    private PacketDecision decide(LoadBalancer engine, byte[] packet) {
        engine.decide(packet, 0, packet.length, false, key, decision);
        return decision;
    }

    @Test
    void aPacketOfAFlowGetsTheFwmarkOfTheSlotItsHashSelects() {
        LoadBalancer engine = engine(config(maglev(5001, 5002, 5003), 0, 0, null, 0));
        PacketDecision d = decide(engine, TCP_TO_VIP);
        assertThat(d.verdict()).isEqualTo(Verdict.MARK);
        assertThat(d.reason()).isEqualTo(DecisionReason.LOAD_BALANCED);
        assertThat(d.flow()).isEqualTo(0);
        assertThat(d.hash()).isEqualTo(key.hash());
        assertThat(d.fwmark()).isEqualTo(5001 + d.slot());
        int first = d.fwmark();
        assertThat(decide(engine, TCP_TO_VIP).fwmark()).as("the same packet, the same target").isEqualTo(first);
    }

    @Test
    void eachDecisionIsCountedByReasonFlowAndSlotAndTheCountsLiveThroughANewConfiguration() {
        LoadBalancer engine = engine(config(maglev(5001, 5002, 5003), 0, 0, null, 0));
        int slot = decide(engine, TCP_TO_VIP).slot();
        String flow = engine.flow(decide(engine, TCP_TO_VIP).flow()).name();
        String stream = engine.flow(0).stream();
        decide(engine, TCP_ELSEWHERE);
        engine.configure(config(maglev(5001, 5002, 5003), 0, 0, null, 0));
        decide(engine, TCP_TO_VIP);
        PacketCounts counts = engine.counts();
        assertThat(counts.reason(DecisionReason.LOAD_BALANCED)).isEqualTo(3);
        assertThat(counts.reason(DecisionReason.NO_FLOW)).isEqualTo(1);
        assertThat(counts.flows()).containsEntry(flow, 3L);
        assertThat(counts.slots().get(stream)[slot]).isEqualTo(3);
    }

    @Test
    void noFlowAndNoTargetsDropOrMarkAsConfigured() {
        assertThat(decide(engine(config(maglev(5001), 0, 0, null, 0)), TCP_ELSEWHERE).verdict())
                .isEqualTo(Verdict.DROP);
        PacketDecision rejected = decide(engine(config(maglev(5001), 9001, 9002, null, 0)), TCP_ELSEWHERE);
        assertThat(rejected.reason()).isEqualTo(DecisionReason.NO_FLOW);
        assertThat(rejected.fwmark()).isEqualTo(9001);
        PacketDecision empty = decide(engine(config(maglev(0, 0), 9001, 9002, null, 0)), TCP_TO_VIP);
        assertThat(empty.reason()).isEqualTo(DecisionReason.NO_TARGETS);
        assertThat(empty.fwmark()).isEqualTo(9002);
        assertThat(decide(engine(config(maglev(5001), 0, 0, null, 0)), new byte[] {0x45, 0}).reason())
                .isEqualTo(DecisionReason.UNPARSEABLE);
    }

    @Test
    void aNewConfigurationTakesEffectForTheNextPacket() {
        LoadBalancer engine = engine(config(maglev(5001), 0, 0, null, 0));
        assertThat(decide(engine, TCP_TO_VIP).fwmark()).isEqualTo(5001);
        engine.configure(config(maglev(7001), 0, 0, null, 0));
        assertThat(decide(engine, TCP_TO_VIP).fwmark()).isEqualTo(7001);
    }

    @Test
    void laterFragmentsFollowTheirFirstAndEarlyOnesAreHeldThenReleased() {
        LoadBalancer engine = engine(config(maglev(5001, 5002, 5003), 0, 0, null, 0));
        byte[] later = io.statelesslb.engine.fragment.FragmentsForTests.ipv4To20(77, 185, false, 100);
        assertThat(decide(engine, later).verdict()).isEqualTo(Verdict.HELD);
        byte[] first = io.statelesslb.engine.fragment.FragmentsForTests.ipv4To20(77, 0, true, 1480);
        PacketDecision d = decide(engine, first);
        assertThat(d.keyResult() & KeyResult.FIRST_FRAGMENT).isNotZero();
        assertThat(d.reason()).isEqualTo(DecisionReason.LOAD_BALANCED);
        int fwmark = d.fwmark();
        assertThat(d.releasedFragments()).isEqualTo(1);
        byte[] copy = new byte[2048];
        assertThat(engine.fragments().copyReleased(0, copy, 0)).isEqualTo(later.length);
        PacketDecision follower = decide(engine, later);
        assertThat(follower.reason()).isEqualTo(DecisionReason.FRAGMENT_FOLLOWED);
        assertThat(follower.fwmark()).isEqualTo(fwmark);
    }

    @Test
    void fragmentsOwnedByAnotherInstanceAreSentToIt() {
        Maglev tier = maglev(100, 200);
        byte[] first = io.statelesslb.engine.fragment.FragmentsForTests.ipv4To20(77, 0, true, 1480);
        // The decision object is reused per call: read each result before the next.
        DecisionReason asFirst = decide(engine(config(maglev(5001), 0, 0, tier, 100)), first).reason();
        int firstFwmark = decision.fwmark();
        DecisionReason asSecond = decide(engine(config(maglev(5001), 0, 0, tier, 200)), first).reason();
        int secondFwmark = decision.fwmark();
        // Exactly one instance owns the datagram; the other forwards it to the owner.
        assertThat(List.of(asFirst, asSecond)).containsExactlyInAnyOrder(
                DecisionReason.LOAD_BALANCED, DecisionReason.FORWARDED_TO_OWNER);
        int forwardedTo = asFirst == DecisionReason.FORWARDED_TO_OWNER ? firstFwmark : secondFwmark;
        assertThat(forwardedTo).isEqualTo(asFirst == DecisionReason.FORWARDED_TO_OWNER ? 200 : 100);
        assertThat(decide(engine(config(maglev(5001), 0, 0, tier, 100)), TCP_TO_VIP).reason())
                .as("whole packets are never forwarded").isEqualTo(DecisionReason.LOAD_BALANCED);
    }

    @Test
    void explainListsEveryFlowTriedWithWhyItFailed() {
        LoadBalancer engine = engine(config(maglev(5001, 5002), 0, 0, null, 0));
        DecisionTrace trace = engine.explain(TCP_TO_VIP, 0, TCP_TO_VIP.length, false);
        assertThat(trace.flowsTried()).extracting(FlowClassifier.FlowAttempt::flow)
                .containsExactly("flow-d-match", "flow-c-src", "flow-e-sctp", "flow-a-z-udp", "flow-a-z-tcp");
        assertThat(trace.flowsTried().get(0).mismatch()).isEqualTo(Mismatch.BYTE_MATCH);
        assertThat(trace.flowsTried().get(1).mismatch()).isEqualTo(Mismatch.DESTINATION);
        assertThat(trace.flowsTried().get(4).mismatch()).isEqualTo(Mismatch.NONE);
        assertThat(trace.flow()).isEqualTo("flow-a-z-tcp");
        decide(engine, TCP_TO_VIP);
        assertThat(trace.fwmark()).isEqualTo(decision.fwmark());
        assertThat(trace.render()).contains("flow flow-e-sctp (priority 3): protocol not among the flow's protocols")
                .contains("decision: MARK fwmark " + decision.fwmark() + " (LOAD_BALANCED)");
    }
}
