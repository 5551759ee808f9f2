package io.statelesslb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.api.http.TargetView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb targets}: the registered targets and whether each gets traffic. */
@Command(
        name = "targets",
        mixinStandardHelpOptions = true,
        header = "List targets and their status; --watch follows changes.",
        description = {"List the targets of a running daemon: fwmark, rule priority, and status (active, disabled,"
                + " or pending with the reason). With --watch, print each change as it happens."},
        footer = {"", "Examples:",
                "  slb targets",
                "  slb targets --stream stream-a-i -o json",
                "  slb targets --watch          # a row per change, as it happens; Ctrl-C to stop"})
final class TargetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--stream", paramLabel = "NAME", description = "Only this stream's targets.")
    String stream;

    @Option(names = "--watch", description = "After the list, follow target events until interrupted.")
    boolean watch;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DaemonClient daemon = client.client();
        List<TargetView> targets = daemon.targets(stream);
        client.output.print(out, targets, table -> print(table, targets));
        if (watch) {
            // The watch starts with a snapshot of every target, which the list above already showed. Then each
            // change prints the target's row as it is now, as kubectl get --watch does.
            daemon.watchTargets(stream, snapshot -> true, recorded -> {
                JsonNode event = recorded.event();
                String name = event.path("stream").asText();
                int identifier = event.path("identifier").asInt();
                if (event.path("type").asText().equals("TargetUnregistered")) {
                    client.output.print(out, recorded, table -> table.printf(ROW, name, identifier, "-", "-", "-",
                            "gone", "unregistered at event #" + recorded.sequence()));
                } else {
                    TargetView now = daemon.targetStatus(name, identifier);
                    client.output.print(out, now, table -> row(table, now));
                }
                return true;
            });
        }
        return 0;
    }

    private static final String ROW = "%-20s %4s  %-32s %7s %5s  %-9s %s%n";

    static void print(PrintWriter out, List<TargetView> targets) {
        out.printf(ROW, "STREAM", "ID", "IPS", "FWMARK", "PRIO", "STATUS", "REASON");
        targets.forEach(target -> row(out, target));
        if (targets.isEmpty()) {
            out.println("(no targets)");
        }
    }

    private static void row(PrintWriter out, TargetView t) {
        out.printf(ROW, t.stream(), t.identifier(), String.join(",", t.ips()), t.fwmark(), t.rulePriority(),
                t.status(), t.reason() == null ? "" : t.reason());
        out.flush();
    }
}
