package io.statelesslb.cli;

import io.statelesslb.api.http.DataplaneView;
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
        DataplaneView dataplane = client.client().dataplane();
        client.output.print(spec.commandLine().getOut(), dataplane, out -> {
            out.println("# backend " + dataplane.backend() + ", applied up to event #" + dataplane.sequence());
            print(out, dataplane.views());
        });
        return 0;
    }

    /** Prints each view as a shell transcript: the command, then what it prints. */
    static void print(PrintWriter out, java.util.List<DataplaneView.ToolOutput> views) {
        for (DataplaneView.ToolOutput view : views) {
            out.println();
            out.println("$ " + view.command());
            out.print(view.output());
        }
    }
}
