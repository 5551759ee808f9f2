package io.statelesslb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb unregister}: a target leaves its stream. */
@Command(
        name = "unregister",
        mixinStandardHelpOptions = true,
        header = "Unregister a target.",
        description = {"Unregister a target: its Maglev slot goes first (its flows move to the other targets), then"
                + " its rule and route."},
        footer = {"", "Example:", "  slb unregister --stream stream-a-i --id 1 --wait"})
final class UnregisterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The target's stream.")
    String stream;

    @Option(names = "--id", required = true, paramLabel = "N", description = "The target's identifier.")
    int identifier;

    @Option(names = "--wait", description = "Return once the dataplane no longer sends the target traffic.")
    boolean wait;

    @Override
    public Integer call() {
        return Mutation.print(spec, client, client.client().unregister(stream, identifier, wait),
                "unregistered " + stream + "/" + identifier);
    }
}
