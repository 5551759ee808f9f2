package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slb delete KIND NAME}: deletes a configuration object, or unregisters a target. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        header = "Delete an object (a target: unregister it).",
        description = {"KIND is one of targets, trenches, conduits, streams, flows, vips, attractors, gateways (or"
                + " its singular). An object another one uses is not deleted: the answer names which uses it. A"
                + " target's NAME is STREAM/ID."},
        footer = {"", "Examples:",
                "  slb delete vip vip-b",
                "  slb delete target stream-a-i/44 --wait"})
final class DeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND", converter = ObjectKind.Converter.class, description = "What to"
            + " delete: target, trench, conduit, stream, flow, vip, attractor or gateway.")
    ObjectKind kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "The object (a target: STREAM/ID).")
    String name;

    @Option(names = "--wait", description = "Return once the dataplane has the change (at most 10 s).")
    boolean wait;

    @Override
    public Integer call() {
        DaemonClient daemon = client.client();
        if (kind == ObjectKind.TARGETS) {
            TargetName target = TargetName.parse(spec, name);
            return Mutation.print(spec, client, daemon.unregister(target.stream(), target.identifier(), wait),
                    "unregistered " + name);
        }
        return Mutation.print(spec, client, daemon.delete(kind.path(), name, wait), "deleted " + kind.path() + "/"
                + name);
    }
}
