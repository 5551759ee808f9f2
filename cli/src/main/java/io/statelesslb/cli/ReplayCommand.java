package io.statelesslb.cli;

import io.statelesslb.api.codec.Json;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.api.http.DataplaneView;
import io.statelesslb.api.http.RecordedView;
import io.statelesslb.controller.replay.Replay;
import io.statelesslb.controller.replay.ReplayProgress;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.State;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.LogRecord;
import io.statelesslb.eventlog.RecoveryReport;
import io.statelesslb.eventlog.etcd.EtcdEventStream;
import io.statelesslb.server.SharedStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slb replay}: rebuilds state, plan or operations from an event log, byte for byte the same every time. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        header = "Rebuild state, plan or operations from an event log.",
        description = {
                "Rebuild the state, the desired dataplane (plan) or the operations of every event from an event log.",
                "Reads only: the log is not locked or changed, so it can run beside a live daemon. The same log"
                        + " always prints the same bytes. Events are evolved as recorded, never decided again."},
        footer = {"", "Examples:",
                "  slb replay --data-dir /var/lib/slb                    # the state now",
                "  slb replay --data-dir /var/lib/slb --until 120 --show plan",
                "  slb replay --data-dir /var/lib/slb --show ops         # what each event changed",
                "  slb replay --event-store etcd --etcd-endpoints http://10.0.0.1:2379 --etcd-prefix /slb/trench-a/ \\",
                "      --instance lb-2                                    # lb-2's state, from the trench's stream"})
final class ReplayCommand implements Callable<Integer> {

    /** What replay prints. */
    enum Show { state, plan, ops }

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The daemon's data directory (holds the event"
            + " log); not with --event-store etcd.")
    Path dataDir;

    @ArgGroup(exclusive = false, heading = "%nA trench of several instances: replay its stream on etcd as one instance"
            + " folds it (its own observations, not the others'; without --instance, the trench's facts alone):%n")
    EventStoreFlags stream = new EventStoreFlags();

    @Option(names = "--until", paramLabel = "SEQ", description = "Replay events up to this sequence number only"
            + " (default: all).")
    Long until;

    @Option(names = "--show", paramLabel = "WHAT", defaultValue = "state", description = "What to print: state,"
            + " plan or ops (default: ${DEFAULT-VALUE}). With -o json or yaml: the state as a snapshot document,"
            + " the plan as the Linux tools' views, the ops as one document per event.")
    Show show;

    @Mixin
    Output output;

    /** One replayed event and the operations it caused. */
    record ReplayedEvent(long sequence, String timestamp, com.fasterxml.jackson.databind.JsonNode event,
                         List<String> ops) {
    }

    @Override
    public Integer call() throws IOException {
        if (until != null && until < 1) {
            throw new ParameterException(spec.commandLine(), "--until=" + until
                    + " (expected: a sequence number >= 1)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SharedStream shared = stream.shared(spec.commandLine());
        if ((shared == null) == (dataDir == null)) {
            throw new ParameterException(spec.commandLine(), shared == null ? "no --data-dir (expected: the daemon's"
                    + " data directory, or --event-store etcd and its flags)" : "--data-dir with --event-store etcd"
                    + " (expected: one or the other)");
        }
        Replay replay = new Replay(State.empty(), 0, until == null ? Long.MAX_VALUE : until, show != Show.ops ? null
                : (RecordedEvent event, List<Op> ops) -> output.print(out, new ReplayedEvent(event.sequence(),
                        event.timestamp().toString(), RecordedView.typed(event.event()),
                        ops.stream().map(Op::describe).toList()), table -> printOps(table, event, ops)),
                shared == null || stream.instance == null ? null : shared.instance());
        long last;
        if (shared == null) {
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
            last = report.lastSequence();
        } else {
            try (EtcdEventStream events = EtcdEventStream.connect(shared.etcd(), shared.instance(),
                    Clock.systemUTC())) {
                last = events.lastSequence();
                events.read(0, replay::accept);
            }
        }
        if (until != null && until > last) {
            err.println("slb replay: note: the " + (shared == null ? "log" : "stream") + " ends at sequence " + last
                    + ", before --until " + until);
        }
        if (show == Show.state) {
            output.print(out, Json.mapper().readTree(SnapshotCodec.encode(replay.sequence(), replay.state())),
                    table -> table.print(StateReport.render(replay.sequence(), replay.state(), replay.plan())));
        } else if (show == Show.plan) {
            DataplaneView plan = new DataplaneView("replay", "model", replay.sequence(), LinuxViews.all(replay.plan(),
                    Machine.of(replay.state()), Map.of(), Map.of(), new EngineTables()::maglev).stream()
                    .map(view -> new DataplaneView.ToolOutput(view.command(), view.output())).toList());
            output.print(out, plan, table -> {
                table.println("# the plan of the state at sequence " + replay.sequence()
                        + ", as the Linux tools would print it once applied");
                DataplaneCommand.print(table, plan.views());
            });
        }
        out.flush();
        return 0;
    }

    private static void printOps(PrintWriter out, RecordedEvent event, List<Op> ops) {
        out.print("#" + event.sequence() + " " + event.timestamp() + " "
                + Output.json(RecordedView.typed(event.event()))
                + "\n");
        for (Op op : ops) {
            out.print("  " + op.describe() + "\n");
        }
    }
}
