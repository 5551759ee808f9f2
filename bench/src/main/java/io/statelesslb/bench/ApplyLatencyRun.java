package io.statelesslb.bench;

import io.statelesslb.controller.store.Submission;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.server.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Event → applied latency on the simulator at a fixed rate: single target events (a target leaving, then coming
 * back) submitted open-loop at RATE per second to a trench of 10 streams × 100 targets; each latency runs from the
 * event's scheduled send time (so a stall is not hidden) to the report that the dataplane has the state including
 * it: log append with fsync, fold, coalescing window, plan, diff, apply.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.statelesslb.bench.ApplyLatencyRun [RATE] [SECONDS]}
 */
public final class ApplyLatencyRun {

    private ApplyLatencyRun() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("slb-latency-");
        Daemon daemon = DaemonBench.start(dir, 100);
        try {
            run(daemon, rate, 5, null, ApplyLatencyRun::command);
            long[] latencies = new long[rate * seconds];
            int measured = run(daemon, rate, seconds, latencies, ApplyLatencyRun::command);
            System.out.printf("event -> applied at %d events/s for %d s: %s%n", rate, seconds,
                    DaemonBench.percentiles(latencies, measured));
        } finally {
            daemon.close();
            Benchmarks.delete(dir);
        }
    }

    /**
     * Submits {@code commands.apply(i)} open-loop at {@code rate} per second for {@code seconds}, each latency from
     * its scheduled send time to the report that the dataplane has it.
     *
     * @return how many latencies were recorded into {@code latencies} (null for a warm-up)
     */
    static int run(Daemon daemon, int rate, int seconds, long[] latencies, IntFunction<Command> commands)
            throws InterruptedException {
        int events = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        CountDownLatch done = new CountDownLatch(events);
        AtomicInteger recorded = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            daemon.controller().submit(commands.apply(i)).subscribe(answer -> {
                if (!(answer instanceof Submission.Recorded submitted)) {
                    throw new IllegalStateException("refused: " + answer);
                }
                daemon.controller().applied(submitted.event().sequence()).subscribe(report -> {
                    if (latencies != null) {
                        latencies[recorded.getAndIncrement()] = System.nanoTime() - scheduled;
                    }
                    done.countDown();
                });
            }, error -> done.countDown());
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " events were not applied within 60 s");
        }
        return recorded.get();
    }

    /** Even changes take target k of stream k % 10 out, odd ones put it back: every change moves one slot. */
    private static Command command(int i) {
        int k = (i / 2) % (DaemonBench.STREAMS * 100);
        String stream = "stream-" + (k % DaemonBench.STREAMS);
        int identifier = 1 + k / DaemonBench.STREAMS;
        int streamIndex = k % DaemonBench.STREAMS;
        return i % 2 == 0 ? new UnregisterTarget(stream, identifier)
                : new RegisterTarget(stream, identifier, List.of(Scenarios.targetIpv4(streamIndex, identifier),
                        Scenarios.targetIpv6(streamIndex, identifier)));
    }
}
