package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.api.http.RecordedView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slb events}: the daemon's event log, and with --follow every event as it is recorded. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        header = "Print the event log; --follow for new events.",
        description = {"Print the events a running daemon recorded, oldest first: sequence, time, type and what it"
                + " names. With --follow, keep printing new ones; a follow that is interrupted resumes with"
                + " --after (the last sequence printed)."},
        footer = {"", "Examples:",
                "  slb events --limit 20",
                "  slb events --follow --after 120 -o json     # one JSON document per line"})
final class EventsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0", description = "Only events after this"
            + " sequence (default: from the start).")
    long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "At most this many events"
            + " (without --follow; default ${DEFAULT-VALUE}, at most 10000).")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "Keep printing events as they are recorded, until interrupted.")
    boolean follow;

    @Override
    public Integer call() {
        if (after < 0) {
            throw new ParameterException(spec.commandLine(), "--after=" + after
                    + " (expected: a sequence number >= 0)");
        }
        PrintWriter out = spec.commandLine().getOut();
        DaemonClient daemon = client.client();
        if (follow) {
            daemon.watchEvents(after, recorded -> {
                client.output.print(out, recorded, table -> table.println(line(recorded)));
                return true;
            });
            return 0;
        }
        List<RecordedView> events = daemon.events(after, limit);
        client.output.print(out, events, table -> events.forEach(recorded -> table.println(line(recorded))));
        return 0;
    }

    /** @return one recorded event as a line: {@code #12  2026-11-26T10:00:00Z  TargetRegistered  stream-a/1 ...} */
    static String line(RecordedView recorded) {
        return String.format("#%-6d %-24s %-20s %s", recorded.sequence(), recorded.timestamp(),
                recorded.event().path("type").asText(), EventSummary.of(recorded.decoded()))
                + (recorded.source() == null ? "" : "  (from " + recorded.source() + ")");
    }
}
