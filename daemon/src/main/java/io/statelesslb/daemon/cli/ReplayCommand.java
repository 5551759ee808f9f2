package io.statelesslb.daemon.cli;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.daemon.log.EventLog;
import io.statelesslb.daemon.log.LogRecord;
import io.statelesslb.daemon.log.RecoveryReport;
import io.statelesslb.daemon.replay.Replay;
import io.statelesslb.daemon.report.PlanReport;
import io.statelesslb.daemon.report.StateReport;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb replay}: rebuilds state, plan or operations from an event log, byte for byte the same every time. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        header = "Rebuild state, plan or operations from an event log.",
        description = {
                "Rebuild the state, the desired dataplane (plan) or the operations of every event from an event log.",
                "Reads only: the log is not locked or changed, so it can run beside a live daemon. The same log"
                        + " always prints the same bytes."},
        footer = {"", "Examples:",
                "  slb replay --data-dir /var/lib/slb                    # the state now",
                "  slb replay --data-dir /var/lib/slb --until 120 --show plan",
                "  slb replay --data-dir /var/lib/slb --show ops         # what each event changed"})
final class ReplayCommand implements Callable<Integer> {

    /** What replay prints. */
    enum Show { state, plan, ops }

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The daemon's data directory"
            + " (holds the event log).")
    Path dataDir;

    @Option(names = "--until", paramLabel = "SEQ", description = "Replay events up to this sequence number only"
            + " (default: all).")
    Long until;

    @Option(names = "--show", paramLabel = "WHAT", defaultValue = "state", description = "What to print: state,"
            + " plan or ops (default: ${DEFAULT-VALUE}).")
    Show show;

    @Override
    public Integer call() throws IOException {
        if (until != null && until < 1) {
            throw new IllegalArgumentException("--until=" + until + " (expected: a sequence number >= 1)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Replay replay = new Replay(until == null ? Long.MAX_VALUE : until, show == Show.ops ? opsPrinter(out) : null);
        Progress progress = new Progress(err, totalBytes(dataDir));
        RecoveryReport report = EventLog.read(dataDir, (LogRecord record) -> {
            replay.accept(record);
            progress.update(record);
        });
        progress.done();
        report.truncation().ifPresent(torn -> err.println("slb replay: warning: " + torn
                + " (not replayed; the daemon truncates it on its next start)"));
        if (until != null && until > report.lastSequence()) {
            err.println("slb replay: note: the log ends at sequence " + report.lastSequence() + ", before --until "
                    + until);
        }
        if (show == Show.state) {
            out.print(StateReport.render(replay.sequence(), replay.state(), replay.plan(), replay.rejections()));
        } else if (show == Show.plan) {
            out.print("sequence: " + replay.sequence() + "\n" + PlanReport.render(replay.plan()));
        }
        out.flush();
        return 0;
    }

    private static Replay.Step opsPrinter(PrintWriter out) {
        return (RecordedEvent event, Outcome outcome, List<Op> ops) -> {
            out.print("#" + event.sequence() + " " + event.timestamp() + " " + EventCodec.encodeTyped(event.event()));
            if (outcome instanceof Outcome.Rejected rejected) {
                out.print("\n  rejected: " + rejected.problems().mkString("; "));
            }
            out.print('\n');
            for (Op op : ops) {
                out.print("  " + op.describe() + "\n");
            }
        };
    }

    private static long totalBytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Progress on standard error for long logs: a line a second, only once replay has taken that long. */
    private static final class Progress {
        private static final long INTERVAL_NS = 1_000_000_000L;

        private final PrintWriter err;
        private final long totalBytes;
        private final long started = System.nanoTime();
        private long lastPrinted = started;
        private long doneBytes;
        private Path currentFile;
        private long events;
        private boolean printed;

        Progress(PrintWriter err, long totalBytes) {
            this.err = err;
            this.totalBytes = totalBytes;
        }

        void update(LogRecord record) {
            events++;
            if (!record.file().equals(currentFile)) {
                if (currentFile != null) {
                    doneBytes += currentFile.toFile().length();
                }
                currentFile = record.file();
            }
            if ((events & 1023) != 0) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastPrinted >= INTERVAL_NS) {
                lastPrinted = now;
                printed = true;
                long percent = totalBytes == 0 ? 100 : 100 * (doneBytes + record.offset()) / totalBytes;
                err.printf("slb replay: %d events, sequence %d (%d%%)%n", events, record.sequence(), percent);
                err.flush();
            }
        }

        void done() {
            if (printed) {
                err.printf("slb replay: %d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
                err.flush();
            }
        }
    }
}
