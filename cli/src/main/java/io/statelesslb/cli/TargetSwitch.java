package io.statelesslb.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What {@code slb enable} and {@code slb disable} take: the target, and whether to wait for the dataplane. */
final class TargetSwitch {

    @Mixin
    ClientOptions client;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The target's stream.")
    String stream;

    @Option(names = "--id", required = true, paramLabel = "N", description = "The target's identifier.")
    int identifier;

    @Option(names = "--wait", description = "Return once the dataplane has the change (at most 10 s).")
    boolean wait;

    /** @return the exit code, once the daemon has answered */
    int switchTo(CommandSpec spec, boolean enabled) {
        return Mutation.print(spec, client, client.client().enable(stream, identifier, enabled, wait),
                (enabled ? "enabled " : "disabled ") + stream + "/" + identifier);
    }
}
