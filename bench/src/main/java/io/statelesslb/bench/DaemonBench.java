package io.statelesslb.bench;

import io.statelesslb.controller.store.Submission;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.server.Daemon;
import io.statelesslb.server.DaemonOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** A daemon on the simulator for the open-loop benchmarks, and the percentiles they report. */
final class DaemonBench {

    /** Streams of the benchmark trench, each of up to 100 targets. */
    static final int STREAMS = 10;

    private DaemonBench() {
    }

    /** @return a daemon on an ephemeral loopback port, with {@value #STREAMS} streams of {@code targets} targets */
    static Daemon start(Path dir, int targets) {
        return start(DaemonOptions.defaults(dir).withListen("127.0.0.1", 0), targets);
    }

    /** @return a daemon started with {@code options}, with {@value #STREAMS} streams of {@code targets} targets */
    static Daemon start(DaemonOptions options, int targets) {
        Daemon daemon = Daemon.start(options);
        for (Command command : Scenarios.large(STREAMS, targets)) {
            Submission answer = daemon.controller().submit(command).block(Duration.ofSeconds(10));
            if (!(answer instanceof Submission.Recorded)) {
                throw new IllegalStateException(command + " refused: " + answer);
            }
        }
        daemon.controller().applied(daemon.sequence()).block(Duration.ofSeconds(30));
        return daemon;
    }

    /** @return {@code "p50 … p90 … p99 … max …"} of nanosecond samples, in milliseconds */
    static String percentiles(long[] nanos, int count) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  (%d samples)",
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[count - 1] / 1e6, count);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
