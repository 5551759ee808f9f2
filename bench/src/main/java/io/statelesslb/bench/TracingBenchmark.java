package io.statelesslb.bench;

import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.live.LiveTracing;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.PacketDecision;
import io.statelesslb.engine.packet.PacketKey;
import io.vavr.control.Option;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What following packets live ({@code slb trace --follow}) costs the packet path: {@link PacketBenchmark}'s
 * decision with no follower ({@code off}), with a follower of a flow no packet matches ({@code other-flow}), and with
 * a follower of every packet at the highest rate, drained by the live-trace reader as the daemon does
 * ({@code every-packet}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingBenchmark {

    @Param({"off", "other-flow", "every-packet"})
    public String tracing;

    private final PacketBenchmark packets = new PacketBenchmark();
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    private final LongAdder traced = new LongAdder();
    private LoadBalancer engine;
    private LiveTracing hub;
    private AutoCloseable follower;
    private byte[][] bytes;
    private boolean[] ipv6;
    private int next;

    @Setup(Level.Trial)
    public void load() throws IOException {
        packets.flowsAbove = 0;
        packets.load();
        engine = packets.loadBalancer();
        bytes = packets.packets();
        ipv6 = packets.ipv6();
        hub = LiveTracing.onSystemClock(index -> "eth" + index);
        hub.register(engine, 0);
        switch (tracing) {
            case "off" -> follower = null;
            case "other-flow" -> follower = hub.follow(new LiveTraceRequest(Option.some("no-such-flow"),
                    LiveTraceRequest.MAX_PER_SECOND), trace -> traced.increment());
            case "every-packet" -> follower = hub.follow(new LiveTraceRequest(Option.none(),
                    LiveTraceRequest.MAX_PER_SECOND), trace -> traced.increment());
            default -> throw new IllegalArgumentException("tracing=" + tracing
                    + " (expected: off, other-flow or every-packet)");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (follower != null) {
            follower.close();
        }
        hub.close();
    }

    @Benchmark
    public int decide() {
        int i = next;
        next = i + 1 == bytes.length ? 0 : i + 1;
        byte[] packet = bytes[i];
        engine.decide(packet, 0, packet.length, ipv6[i], 3, key, decision);
        return decision.fwmark();
    }
}
