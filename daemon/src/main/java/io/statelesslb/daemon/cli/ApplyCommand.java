package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.config.Configuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb apply -f FILE}: makes a running daemon's configuration match a YAML file. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        header = "Make a running daemon match a YAML configuration.",
        description = {"Send a declarative YAML configuration to a running daemon. It submits exactly the events that"
                + " make its state match the file: definitions in dependency order, then deletions of what the file"
                + " no longer names. Targets registered through the API are left alone. The file is checked here"
                + " first; errors name file, line, column and field."},
        footer = {"", "Examples:",
                "  slb apply -f examples/seed-scenario.yaml",
                "  slb apply -f trench.yaml --dry-run       # what would change, changing nothing"})
final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path file;

    @Option(names = "--dry-run", description = "Print the events the file would cause, and submit nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        Configuration.load(file); // syntax and shape errors, located in the file, before anything is sent
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode result = client.client().postText("/v1/config?file=" + URLEncoder.encode(file.toString(),
                StandardCharsets.UTF_8) + (dryRun ? "&dryRun" : ""), "application/yaml", yaml);
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            out.println(result.toString());
        } else {
            JsonNode events = result.path("events");
            for (JsonNode event : events) {
                out.println(dryRun ? "would submit " + event.path("type").asText() + " " + event.path("name").asText(
                        event.path("stream").asText("") + "/" + event.path("identifier").asText(""))
                        : EventsCommand.line(event));
            }
            out.println(events.isEmpty() ? "no changes: the daemon's state matches " + file
                    : (dryRun ? events.size() + " change(s) would be submitted" : events.size() + " change(s) recorded"));
        }
        out.flush();
        return 0;
    }
}
