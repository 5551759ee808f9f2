package io.statelesslb.cli;

import io.statelesslb.api.http.DataplaneView;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slb dataplane}: every table, rule and route, as the Linux tools print them. */
@Command(
        name = "dataplane",
        mixinStandardHelpOptions = true,
        header = "Print the dataplane as nft and ip print it.",
        description = {"Print the dataplane as the Linux tools would: nft list ruleset, ip rule, every ip route"
                + " table, ip neigh, nfqlb flow-list and nfqlb show per stream.",
                "By default what the backend holds, read back from it (on the kernel, with the counts of the nft"
                        + " rules and of the flows); --source model prints what it should hold, the plan of the"
                        + " state. slb diff shows how the two differ."},
        footer = {"", "Examples:", "  slb dataplane", "  slb dataplane --source model"})
final class DataplaneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "dataplane", description = "dataplane (what"
            + " is held) or model (the plan of the state) (default: ${DEFAULT-VALUE}).")
    String source;

    @Override
    public Integer call() {
        DataplaneView dataplane = switch (source) {
            case "dataplane" -> client.client().dataplane();
            case "model" -> client.client().model();
            default -> throw new ParameterException(spec.commandLine(), "--source " + source
                    + " (expected: dataplane or model)");
        };
        client.output.print(spec.commandLine().getOut(), dataplane, out -> {
            out.println(dataplane.source().equals("model")
                    ? "# the plan of the state at event #" + dataplane.sequence() + " (what the "
                            + dataplane.backend() + " dataplane should hold)"
                    : "# backend " + dataplane.backend() + ", read back; applied up to event #"
                            + dataplane.sequence());
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
