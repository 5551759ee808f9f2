package io.statelesslb.engine;

import io.statelesslb.bench.PacketBenchmark;
import io.statelesslb.engine.packet.PacketKey;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the packet counters cost the packet path: {@link PacketBenchmark}'s decision of each of its packets, and the
 * counting of those same decisions alone (by reason, by flow, by stream and slot), which {@code decide} does once
 * per packet. This class sits in the engine's package because counting is the engine's own, not public.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CountingBenchmark {

    private final PacketBenchmark packets = new PacketBenchmark();
    private LoadBalancer loadBalancer;
    private byte[][] bytes;
    private boolean[] ipv6;
    private PacketDecision[] decisions;
    private final PacketCounts counts = new PacketCounts();
    private PacketCounts.Layout layout;
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    private int next;

    @Setup
    public void load() throws IOException {
        packets.flowsAbove = 0;
        packets.load();
        loadBalancer = packets.loadBalancer();
        bytes = packets.packets();
        ipv6 = packets.ipv6();
        decisions = new PacketDecision[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            decisions[i] = new PacketDecision();
            loadBalancer.decide(bytes[i], 0, bytes[i].length, ipv6[i], key, decisions[i]);
        }
        layout = counts.layout(packets.config());
    }

    /** Deciding one packet, its counting included. */
    @Benchmark
    public int decide() {
        int i = next;
        next = i + 1 == bytes.length ? 0 : i + 1;
        loadBalancer.decide(bytes[i], 0, bytes[i].length, ipv6[i], key, decision);
        return decision.fwmark();
    }

    /** Counting one decision, alone. */
    @Benchmark
    public int count() {
        int i = next;
        next = i + 1 == bytes.length ? 0 : i + 1;
        counts.count(layout, decisions[i]);
        return i;
    }
}
