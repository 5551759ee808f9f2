package io.statelesslb.daemon.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb flow-list}: the flows in the dataplane, as {@code nfqlb flow-list} prints them. */
@Command(
        name = "flow-list",
        mixinStandardHelpOptions = true,
        header = "Print the flows as nfqlb flow-list does.",
        description = {"Print the flows the dataplane classifies by, exactly as nfqlb flow-list prints them (JSON:"
                + " name, priority, protocols, prefixes v4-mapped, ports, byte matches)."},
        footer = {"", "Example:", "  slb flow-list"})
final class FlowListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // nfqlb's format is JSON already: table and json print the same.
        out.print(client.client().getText("/v1/flows"));
        out.flush();
        return 0;
    }
}
