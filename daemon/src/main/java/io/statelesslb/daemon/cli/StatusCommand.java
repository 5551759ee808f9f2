package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.daemon.client.DaemonClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb status}: whether the daemon is up, and how far the dataplane has caught up. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Print the daemon's readiness and progress.",
        description = {"Print a running daemon's backend, last event, the event the dataplane has caught up with,"
                + " and whether it is ready. Exits 1 when it is not ready."},
        footer = {"", "Example:", "  slb status"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        DaemonClient daemon = client.client();
        JsonNode status = daemon.get("/v1/status");
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            out.println(status.toString());
        } else {
            out.println("server:    " + daemon.server());
            out.println("backend:   " + status.path("backend").asText());
            out.println("sequence:  " + status.path("sequence").asLong() + " (applied: "
                    + status.path("appliedSequence").asLong() + ")");
            out.println("ready:     " + (status.path("ready").asBoolean() ? "yes"
                    : "no: " + status.path("notReady").asText()));
            out.println("queued:    " + status.path("queued").asInt() + " events, " + status.path("watchers").asInt()
                    + " watchers");
        }
        out.flush();
        return status.path("ready").asBoolean() ? 0 : SlbCommand.FAILURE;
    }
}
