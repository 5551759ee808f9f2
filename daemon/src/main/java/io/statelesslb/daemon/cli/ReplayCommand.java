package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.Json;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.daemon.http.RecordedView;
import io.statelesslb.daemon.log.EventLog;
import io.statelesslb.daemon.log.LogRecord;
import io.statelesslb.daemon.log.RecoveryReport;
import io.statelesslb.daemon.replay.Replay;
import io.statelesslb.daemon.replay.ReplayProgress;
import io.statelesslb.daemon.report.PlanReport;
import io.statelesslb.daemon.report.StateReport;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text, or json:"
            + " the state as a snapshot document, the plan as the Linux tools' views, the ops as one JSON"
            + " document per event.")
    Format output;

    /** How replay prints. */
    enum Format { text, json }

    @Override
    public Integer call() throws IOException {
        if (until != null && until < 1) {
            throw new IllegalArgumentException("--until=" + until + " (expected: a sequence number >= 1)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = output == Format.json;
        Replay replay = new Replay(until == null ? Long.MAX_VALUE : until,
                show != Show.ops ? null : json ? opsJson(out) : opsPrinter(out));
        ReplayProgress progress = new ReplayProgress(line -> {
            err.println("slb replay: " + line);
            err.flush();
        }, dataDir);
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
            out.print(json ? new String(SnapshotCodec.encode(replay.sequence(), replay.state()), StandardCharsets.UTF_8)
                    + "\n" : StateReport.render(replay.sequence(), replay.state(), replay.plan(), replay.rejections()));
        } else if (show == Show.plan) {
            out.print(json ? Json.mapper().writeValueAsString(new PlanViews(replay.sequence(),
                    LinuxViews.all(replay.plan(), Machine.of(replay.state()), java.util.Map.of(),
                            new EngineTables(false)::maglev))) + "\n"
                    : "sequence: " + replay.sequence() + "\n" + PlanReport.render(replay.plan()));
        }
        out.flush();
        return 0;
    }

    /** The plan of the state at {@code sequence}, as the Linux tools would print it once applied. */
    record PlanViews(long sequence, List<Rendering> views) {
    }

    /** One replayed event as JSON: the event, the problems if the fold rejected it, and the operations it caused. */
    record ReplayedEvent(long sequence, String timestamp, JsonNode event, List<String> rejected, List<String> ops) {
    }

    private static Replay.Step opsJson(PrintWriter out) {
        return (RecordedEvent event, Outcome outcome, List<Op> ops) -> {
            List<String> rejected = outcome instanceof Outcome.Rejected r
                    ? r.problems().map(Object::toString).toJavaList() : List.of();
            try {
                out.print(Json.mapper().writeValueAsString(new ReplayedEvent(event.sequence(),
                        event.timestamp().toString(), RecordedView.typed(event.event()), rejected,
                        ops.stream().map(Op::describe).toList())) + "\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a replayed event does not encode: " + e.getMessage(), e);
            }
        };
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
}
