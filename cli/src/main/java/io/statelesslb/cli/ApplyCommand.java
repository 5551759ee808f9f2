package io.statelesslb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.Json;
import io.statelesslb.api.http.ConfigResult;
import io.statelesslb.api.http.RecordedView;
import io.statelesslb.config.Configuration;
import java.io.IOException;
import java.io.PrintWriter;
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
        description = {"Send a declarative YAML configuration to a running daemon. It submits exactly the changes"
                + " that make its state match the file: definitions in dependency order, then deletions of what the"
                + " file no longer names. Targets registered through the API are left alone. The file is checked"
                + " here first; errors name file, line, column and field."},
        footer = {"", "Examples:",
                "  slb apply -f examples/seed-scenario.yaml",
                "  slb apply -f trench.yaml --dry-run       # what would change, changing nothing",
                "  slb export | slb apply -f - --server http://10.0.0.2:8470"})
final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The YAML configuration"
            + " (- for the standard input).")
    Path file;

    @Option(names = "--dry-run", description = "Print the events the file would cause, and submit nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        ConfigurationText text = ConfigurationText.read(file);
        ConfigResult result = client.client().applyConfiguration(text.name(), text.yaml(), dryRun);
        client.output.print(spec.commandLine().getOut(), result, out -> print(out, result, text));
        return 0;
    }

    private void print(PrintWriter out, ConfigResult result, ConfigurationText text) {
        for (JsonNode event : result.events()) {
            if (dryRun) {
                out.println("would record " + event.path("type").asText() + " "
                        + EventSummary.of(EventCodec.decodeTyped(event.toString())));
            } else {
                out.println(EventsCommand.line(Json.mapper().convertValue(event, RecordedView.class)));
            }
        }
        out.println(result.events().isEmpty() ? "no changes: the daemon's state matches " + text.origin()
                : result.events().size() + " change(s) " + (dryRun ? "would be recorded" : "recorded"));
    }
}
