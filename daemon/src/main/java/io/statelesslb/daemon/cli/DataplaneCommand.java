package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb dataplane}: every table, rule and route, as the Linux tools print them. */
@Command(
        name = "dataplane",
        mixinStandardHelpOptions = true,
        header = "Print the dataplane as nft and ip print it.",
        description = {"Print the dataplane as the Linux tools would: nft list ruleset, ip rule, every ip route"
                + " table, ip neigh, nfqlb flow-list and nfqlb show per stream."},
        footer = {"", "Example:", "  slb dataplane"})
final class DataplaneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        JsonNode dataplane = client.client().get("/v1/dataplane");
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            out.println(dataplane.toString());
        } else {
            out.println("# backend " + dataplane.path("backend").asText() + ", applied up to event #"
                    + dataplane.path("sequence").asLong());
            for (JsonNode view : dataplane.path("views")) {
                out.println();
                out.println("$ " + view.path("command").asText());
                out.print(view.path("output").asText());
            }
        }
        out.flush();
        return 0;
    }
}
