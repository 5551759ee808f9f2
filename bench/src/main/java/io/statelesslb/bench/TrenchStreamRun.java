package io.statelesslb.bench;

import io.statelesslb.controller.store.EventStore;
import io.statelesslb.controller.store.EventStoreOptions;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetDisabled;
import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.etcd.EtcdCluster;
import io.statelesslb.eventlog.etcd.EtcdEventStream;
import io.statelesslb.eventlog.etcd.EtcdOptions;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.Proposal;
import io.statelesslb.server.Daemon;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.SharedStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The event stream on a 3-member etcd on loopback ports against the local log, in one alternated run: append
 * throughput (WRITERS closed-loop writers, each change acknowledged before the next), event → applied latency
 * (open-loop at RATE per second, from the scheduled send to the dataplane's report), then the catch-up of an
 * instance restarted after 100,000 events were appended while it was down.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.statelesslb.bench.TrenchStreamRun [ROUNDS] [SECONDS] [WRITERS]
 * [RATE]} (needs {@code etcd}: apt-get install etcd-server)
 */
public final class TrenchStreamRun {

    private TrenchStreamRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        try (EtcdCluster etcd = EtcdCluster.start(3)) {
            for (int round = 1; round <= rounds; round++) {
                for (String store : List.of("local", "etcd")) {
                    Path dir = Files.createTempDirectory("slb-stream-");
                    DaemonOptions options = DaemonOptions.defaults(dir).withListen("127.0.0.1", 0);
                    if (store.equals("etcd")) {
                        options = options.withShared(new SharedStream(EtcdOptions.of(etcd.endpoints(),
                                "/slb/bench-" + round + "/"), "lb-1"));
                    }
                    Daemon daemon = DaemonBench.start(options, 20);
                    try {
                        double perSecond = throughput(daemon, writers, seconds);
                        long[] latencies = new long[rate * seconds];
                        int measured = ApplyLatencyRun.run(daemon, rate, seconds, latencies,
                                TrenchStreamRun::drainAndReturn);
                        System.out.printf("round %d %-5s appends %,8.0f/s with %d writers; event -> applied at %d/s:"
                                + " %s%n", round, store, perSecond, writers, rate,
                                DaemonBench.percentiles(latencies, measured));
                    } finally {
                        daemon.close();
                        Benchmarks.delete(dir);
                    }
                }
            }
            catchUp(etcd, 100_000);
        }
    }

    /** @return changes acknowledged per second by {@code writers} closed-loop writers, each on its own target */
    private static double throughput(Daemon daemon, int writers, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger acknowledged = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String stream = "stream-" + (w % DaemonBench.STREAMS);
            int identifier = 1 + w / DaemonBench.STREAMS;
            Thread thread = new Thread(() -> {
                boolean disable = true;
                while (System.nanoTime() < end) {
                    Submission answer = daemon.controller().submit(disable ? new DisableTarget(stream, identifier)
                            : new EnableTarget(stream, identifier)).block();
                    if (answer instanceof Submission.Recorded) {
                        acknowledged.incrementAndGet();
                    }
                    disable = !disable;
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return acknowledged.get() / (double) seconds;
    }

    /** Target k of its stream leaves the table, then comes back: every change moves one slot. */
    private static Command drainAndReturn(int i) {
        int k = (i / 2) % (DaemonBench.STREAMS * 20);
        String stream = "stream-" + (k % DaemonBench.STREAMS);
        int identifier = 1 + k / DaemonBench.STREAMS;
        return i % 2 == 0 ? new DisableTarget(stream, identifier) : new EnableTarget(stream, identifier);
    }

    /**
     * An instance folds the stream and snapshots it; then {@code count} events are appended (64 per transaction)
     * while it is down; it starts again from its snapshot and reads them. Three times, with the median.
     */
    private static void catchUp(EtcdCluster etcd, int count) {
        EtcdOptions options = EtcdOptions.of(etcd.endpoints(), "/slb/catch-up/");
        EventStoreOptions snapshots = new EventStoreOptions(EventLogOptions.DEFAULTS, 1);
        List<Double> seconds = new ArrayList<>();
        try (EtcdEventStream writer = EtcdEventStream.connect(options, "writer", Clock.systemUTC())) {
            for (int run = 0; run < 3; run++) {
                // The instance is up, folds one more event from the watch and snapshots after it; then it stops.
                EventStore down = EventStore.open(EtcdEventStream.connect(options, "lb-1", Clock.systemUTC()),
                        "lb-1", snapshots);
                long last = append(writer, writer.lastSequence(), List.of(new Proposal(event(0), "bench", null)));
                while (down.sequence() < last) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                long from = down.sequence();
                down.close();
                for (int i = 0; i < count; i += 64) {
                    List<Proposal> batch = new ArrayList<>();
                    for (int j = i; j < Math.min(count, i + 64); j++) {
                        batch.add(new Proposal(event(j), "bench", null));
                    }
                    last = append(writer, last, batch);
                }
                long started = System.nanoTime();
                EventStore restarted = EventStore.open(EtcdEventStream.connect(options, "lb-1", Clock.systemUTC()),
                        "lb-1", EventStoreOptions.DEFAULTS);
                double took = (System.nanoTime() - started) / 1e9;
                System.out.printf("catch-up: restarted at snapshot %d, folded %,d events to %d in %.2f s%n",
                        restarted.snapshotSequence(), restarted.sequence() - restarted.snapshotSequence(),
                        restarted.sequence(), took);
                if (restarted.snapshotSequence() < from) {
                    throw new IllegalStateException("the restart did not start from the snapshot at " + from);
                }
                seconds.add(took);
                restarted.close();
            }
        }
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("catch-up of %,d events: median %.2f s (%s)%n", count, sorted[1], Arrays.toString(sorted));
    }

    /** @return the stream's last sequence after {@code batch} */
    private static long append(EtcdEventStream writer, long last, List<Proposal> batch) {
        Appended answer = writer.append(last, batch).join();
        if (!(answer instanceof Appended.Written written)) {
            throw new IllegalStateException("append refused: " + answer);
        }
        return written.recorded().get(written.recorded().size() - 1).sequence();
    }

    private static Event event(int i) {
        String stream = "stream-" + (i % 10);
        return i % 2 == 0 ? new TargetDisabled(stream, 1) : new TargetEnabled(stream, 1);
    }
}
