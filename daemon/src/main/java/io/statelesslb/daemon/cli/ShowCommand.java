package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb show --stream NAME}: a stream's Maglev table, as {@code nfqlb show} prints it. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Print a stream's Maglev table as nfqlb show does.",
        description = {"Print a stream's Maglev table as nfqlb show does (M, N, the first lookup entries, the active"
                + " fwmarks with their slots), followed by each active target's share of the table. -o json has"
                + " every lookup entry."},
        footer = {"", "Example:", "  slb show --stream stream-a-i"})
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream.")
    String stream;

    @Override
    public Integer call() {
        JsonNode maglev = client.client().get("/v1/streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8)
                + "/maglev");
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            out.println(maglev.toString());
        } else {
            out.print(maglev.path("show").asText());
            for (JsonNode slot : maglev.path("active")) {
                out.printf("  target %-4d fwmark %-6d slot %-4d %7d entries  %5.1f%%%n", slot.path("identifier").asInt(),
                        slot.path("fwmark").asInt(), slot.path("slot").asInt(), slot.path("entries").asInt(),
                        100 * slot.path("share").asDouble());
            }
        }
        out.flush();
        return 0;
    }
}
