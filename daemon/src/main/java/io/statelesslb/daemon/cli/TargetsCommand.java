package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.Json;
import io.statelesslb.daemon.client.DaemonClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
                "  slb targets --watch          # Ctrl-C to stop"})
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
        String query = stream == null ? "" : "?stream=" + URLEncoder.encode(stream, StandardCharsets.UTF_8);
        JsonNode targets = daemon.get("/v1/targets" + query);
        if (client.json()) {
            out.println(targets.toString());
        } else {
            print(out, targets);
        }
        out.flush();
        if (watch) {
            String separator = query.isEmpty() ? "?" : "&";
            daemon.watch("/v1/targets/watch" + query + separator + "after=" + daemon.get("/v1/status").path("sequence")
                    .asLong(), (event, id, data) -> {
                        out.println(client.json() ? data : EventsCommand.line(read(data)));
                        out.flush();
                        return true;
                    });
        }
        return 0;
    }

    static void print(PrintWriter out, JsonNode targets) {
        out.printf("%-20s %4s  %-32s %7s %5s  %-9s %s%n", "STREAM", "ID", "IPS", "FWMARK", "PRIO", "STATUS", "REASON");
        for (JsonNode t : targets) {
            StringBuilder ips = new StringBuilder();
            t.path("ips").forEach(ip -> ips.append(ips.length() > 0 ? "," : "").append(ip.asText()));
            out.printf("%-20s %4d  %-32s %7d %5d  %-9s %s%n", t.path("stream").asText(), t.path("identifier").asInt(),
                    ips, t.path("fwmark").asInt(), t.path("rulePriority").asInt(), t.path("status").asText(),
                    t.path("reason").asText(""));
        }
        if (targets.isEmpty()) {
            out.println("(no targets)");
        }
    }

    static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the daemon sent an event that is not JSON: " + json, e);
        }
    }
}
