package io.statelesslb.bench;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable appends per second with group commit (every acknowledgement waits for an fsync): many producers each
 * waiting for their own append, and one producer keeping {@value #IN_FLIGHT} appends in flight.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventLogAppendBenchmark {

    static final int IN_FLIGHT = 1024;

    private static final Event EVENT = new TargetRegistered("stream-a-i", 44,
            List.of(IpAddress.parse("172.16.1.6").get(), IpAddress.parse("fd00:0:0:1::6").get()));

    private Path dir;
    private EventLog log;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("slb-bench-log-");
        log = EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, record -> { });
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        Benchmarks.delete(dir);
    }

    /** 64 producers, each appending and waiting for its acknowledgement. */
    @Benchmark
    @Threads(64)
    public long concurrentProducers() {
        return log.append(EVENT).join().sequence();
    }

    /** One producer with {@value #IN_FLIGHT} appends in flight; the score is events per second. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public long pipelined() {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            acks[i] = log.append(EVENT);
        }
        CompletableFuture.allOf(acks).join();
        return log.lastSequence();
    }
}
