package io.statelesslb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.flow.FlowGoldenTestFlows;
import io.statelesslb.engine.flow.FlowRule;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.engine.packet.PacketKey;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A live trace's tap: what it copies, how many, and what it costs the packet path. */
class TraceTapTest {

    /** TCP SYN 172.77.250.108:34574 -> 20.0.0.1:4000, of the first golden flow. */
    private static final byte[] TCP_TO_VIP = HexFormat.of().parseHex(
            "45000028000100004006f6daac8cc36714000001a12f0fa00000000000000000500220005b1e0000");
    /** TCP to 30.0.0.1, which no golden flow covers. */
    private static final byte[] TCP_ELSEWHERE = HexFormat.of().parseHex(
            "45000028000100004006f6daac8cc3671e000001a12f0fa00000000000000000500220005b1e0000");
    private static final long MILLISECOND = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * MILLISECOND);
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    private final LoadBalancer engine = engine();

    private LoadBalancer engine() {
        List<FlowRule> flows = FlowGoldenTestFlows.all();
        Maglev maglev = new Maglev(97, 3, new PermutationCache());
        maglev.setAll(new int[] {5001, 5002, 5003});
        List<Maglev> maglevs = new ArrayList<>();
        flows.forEach(flow -> maglevs.add(maglev));
        EngineConfig config = new EngineConfig(FlowClassifier.compile(flows, false), maglevs, 0, 0, 0, null, 0);
        return new LoadBalancer(config, new FragmentTable(64, 4, 2048, 1_000_000L), clock::get);
    }

    private void decide(byte[] packet, int ingress) {
        engine.decide(packet, 0, packet.length, false, ingress, key, decision);
    }

    /** Drains as the reader does, which also tells the tap the time the rate is checked against. */
    private List<TappedPacket> drain(TraceTap tap) {
        List<TappedPacket> drained = new ArrayList<>();
        tap.drain(clock.get(), drained::add);
        return drained;
    }

    private String flowOf(byte[] packet) {
        decide(packet, 0);
        return engine.flow(decision.flow()).name();
    }

    @Test
    void aFollowedFlowsPacketIsCopiedWithWhereItCameFromAndEveryStepOfItsDecision() {
        String flow = flowOf(TCP_TO_VIP);
        TraceTap tap = new TraceTap(flow, 100, 16, clock.get());
        engine.tap(tap);
        decide(TCP_TO_VIP, 7);

        List<TappedPacket> copied = drain(tap);
        assertThat(copied).hasSize(1);
        TappedPacket packet = copied.get(0);
        assertThat(packet.header()).isEqualTo(TCP_TO_VIP);
        assertThat(packet.length()).isEqualTo(TCP_TO_VIP.length);
        assertThat(packet.ingress()).isEqualTo(7);
        assertThat(packet.nanos()).isEqualTo(clock.get());
        assertThat(packet.flow()).isEqualTo(flow);
        assertThat(packet.stream()).isEqualTo(engine.flow(decision.flow()).stream());
        assertThat(packet.verdict()).isEqualTo(Verdict.MARK);
        assertThat(packet.reason()).isEqualTo(DecisionReason.LOAD_BALANCED);
        assertThat(packet.slot()).isEqualTo(decision.slot());
        assertThat(packet.fwmark()).isEqualTo(decision.fwmark()).isEqualTo(5001 + decision.slot());
        assertThat(packet.hash()).isEqualTo(decision.hash());
        assertThat(drain(tap)).as("each packet is handed over once").isEmpty();
    }

    @Test
    void aTapForOneFlowCopiesNothingElseAndATapForEveryFlowCopiesPacketsOfNone() {
        TraceTap other = new TraceTap("no-such-flow", 100, 16, clock.get());
        engine.tap(other);
        decide(TCP_TO_VIP, 1);
        decide(TCP_ELSEWHERE, 1);
        assertThat(drain(other)).isEmpty();

        TraceTap every = new TraceTap(null, 100, 16, clock.get());
        engine.tap(every);
        decide(TCP_ELSEWHERE, 1);
        List<TappedPacket> copied = drain(every);
        assertThat(copied).singleElement().satisfies(packet -> {
            assertThat(packet.flow()).isNull();
            assertThat(packet.reason()).isEqualTo(DecisionReason.NO_FLOW);
            assertThat(packet.verdict()).isEqualTo(Verdict.DROP);
            assertThat(packet.slot()).isEqualTo(-1);
        });
    }

    @Test
    void atMostTheRateIsCopiedWithABurstOfOneSecondsWorth() {
        TraceTap tap = new TraceTap(null, 10, 64, clock.get());
        engine.tap(tap);
        for (int i = 0; i < 50; i++) {
            decide(TCP_TO_VIP, 1);
        }
        assertThat(drain(tap)).as("a burst at one instant: one second's worth").hasSize(10);
        clock.addAndGet(100 * MILLISECOND);
        assertThat(drain(tap)).isEmpty();
        for (int i = 0; i < 50; i++) {
            decide(TCP_TO_VIP, 1);
        }
        assertThat(drain(tap)).as("a tenth of a second later: one more").hasSize(1);
        clock.addAndGet(2_000 * MILLISECOND);
        drain(tap);
        for (int i = 0; i < 50; i++) {
            decide(TCP_TO_VIP, 1);
            clock.addAndGet(MILLISECOND);
        }
        assertThat(drain(tap)).as("after a quiet while, a burst again").hasSize(10);
    }

    @Test
    void theRateIsCheckedAgainstTheTimeOfTheLastDrainAndEachCopyHasItsOwnTime() {
        TraceTap tap = new TraceTap(null, 1, 64, clock.get());
        engine.tap(tap);
        decide(TCP_TO_VIP, 1);
        clock.addAndGet(5_000 * MILLISECOND);
        decide(TCP_TO_VIP, 1);
        List<TappedPacket> first = drain(tap);
        assertThat(first).as("the reader has not seen the time pass: the second packet is over the rate")
                .hasSize(1);
        assertThat(first.get(0).nanos()).isEqualTo(5 * MILLISECOND);
        decide(TCP_TO_VIP, 1);
        List<TappedPacket> second = drain(tap);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).nanos()).isEqualTo(5_005 * MILLISECOND);
    }

    @Test
    void aReaderThatFallsBehindMissesPacketsAndTheyAreCounted() {
        TraceTap tap = new TraceTap(null, 1000, 4, clock.get());
        engine.tap(tap);
        for (int i = 0; i < 10; i++) {
            decide(TCP_TO_VIP, 1);
            clock.addAndGet(10 * MILLISECOND);
        }
        assertThat(tap.missed()).isEqualTo(6);
        assertThat(drain(tap)).hasSize(4);
        decide(TCP_TO_VIP, 1);
        assertThat(drain(tap)).as("drained, the ring takes packets again").hasSize(1);
        assertThat(tap.missed()).isEqualTo(6);
    }

    @Test
    void aLongPacketKeepsItsHeadersAndTellsItsWholeLength() {
        byte[] long1500 = Arrays.copyOf(TCP_TO_VIP, 1500);
        TraceTap tap = new TraceTap(null, 100, 4, clock.get());
        engine.tap(tap);
        decide(long1500, 1);
        TappedPacket packet = drain(tap).get(0);
        assertThat(packet.header()).hasSize(TraceTap.SNAP_LENGTH)
                .isEqualTo(Arrays.copyOf(TCP_TO_VIP, TraceTap.SNAP_LENGTH));
        assertThat(packet.length()).isEqualTo(1500);
    }

    @Test
    void anEngineWhoseTapIsRemovedCopiesNoMore() {
        TraceTap tap = new TraceTap(null, 100, 16, clock.get());
        engine.tap(tap);
        decide(TCP_TO_VIP, 1);
        engine.tap(null);
        decide(TCP_TO_VIP, 1);
        assertThat(drain(tap)).hasSize(1);
    }

    @Test
    void decidingWithATapAllocatesNothingWhetherPacketsAreCopiedOrRateBounded() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            decide(TCP_TO_VIP, 1);
            decide(TCP_ELSEWHERE, 1);
        }
        TraceTap tap = new TraceTap(flowOf(TCP_TO_VIP), 1000, 1 << 12, clock.get());
        engine.tap(tap);
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            decide(TCP_TO_VIP, 1);
            decide(TCP_ELSEWHERE, 1);
            clock.addAndGet(MILLISECOND / 4);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(drain(tap)).as("a second's worth copied, the rest over the rate").hasSize(1000);
        // One object per packet would be megabytes; a few kilobytes are the JIT's own, once.
        assertThat(allocated).as("bytes allocated by 200,000 decisions with a tap").isLessThan(200_000 / 16);
    }
}
