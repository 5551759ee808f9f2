package io.statelesslb.cli;

import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.LogRecord;
import io.statelesslb.eventlog.RecoveryReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb recover}: checks an event log and recovers it as the daemon would on start, optionally repairing it. */
@Command(
        name = "recover",
        mixinStandardHelpOptions = true,
        header = "Check and recover an event log.",
        description = {
                "Check an event log and recover it as the daemon does on start: a torn tail (a write cut short by a"
                        + " crash) is truncated and reported.",
                "A corrupt record before the tail (damaged bytes, or intact bytes that do not decode) stops with an"
                        + " error naming the file and the offset; --repair then truncates the log at that record,"
                        + " dropping it and everything after it (a segment named for the wrong sequence goes whole; a"
                        + " damaged segment header is written again, keeping its records).",
                "A log that ends before the last sequence it acknowledged (a segment lost) stops with an error too;"
                        + " --accept-loss starts from what is there and makes its end the new mark.",
                "Stop the daemon first: the log is locked while it runs."},
        footer = {"", "Examples:",
                "  slb recover --data-dir /var/lib/slb",
                "  slb recover --data-dir /var/lib/slb --repair         # after reading the error, and a backup",
                "  slb recover --data-dir /var/lib/slb --accept-loss    # when the lost segment cannot be restored"})
final class RecoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The data directory holding"
            + " the event log.")
    Path dataDir;

    @Option(names = "--repair", description = "Truncate at a corrupt record instead of refusing.")
    boolean repair;

    @Option(names = "--accept-loss", description = "Accept a log that ends before the last sequence it acknowledged.")
    boolean acceptLoss;

    @Mixin
    Output output;

    /** What recovery found, for scripts: {@code truncation} is null when the log was clean. */
    record Recovered(int segments, long records, long lastSequence, String truncation) {
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("--data-dir " + dataDir + " does not exist (expected: a data"
                    + " directory written by slb)");
        }
        PrintWriter out = spec.commandLine().getOut();
        RecoveryReport report;
        long lost;
        // Every record is decoded as the daemon will: intact bytes that do not decode are corruption too.
        EventLogOptions options = EventLogOptions.DEFAULTS.withRepair(repair).withAcceptLoss(acceptLoss);
        try (EventLog log = EventLog.open(dataDir, options, Clock.systemUTC(), 0, LogRecord::event)) {
            report = log.recovery();
            lost = log.lostAcknowledged();
        }
        output.print(out, new Recovered(report.segments(), report.records(), report.lastSequence(),
                report.truncation().map(RecoveryReport.Truncation::toString).orElse(null)), table -> {
                    table.println(report);
                    if (lost > 0) {
                        table.println("accepted: " + lost + " acknowledged event(s) lost");
                    }
                    table.println(report.truncation().isPresent() || lost > 0
                            ? "recovered: the log now ends at sequence " + report.lastSequence()
                            : "clean: nothing to recover");
                });
        out.flush();
        return 0;
    }
}
