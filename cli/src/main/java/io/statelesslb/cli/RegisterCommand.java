package io.statelesslb.cli;

import io.statelesslb.domain.command.RegisterTarget;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slb register}: a target joins a stream. */
@Command(
        name = "register",
        mixinStandardHelpOptions = true,
        header = "Register a target with a stream.",
        description = {"Register a target with a running daemon: it gets the fwmark identifier + the stream's offset,"
                + " a rule and a route, and then a slot in the stream's Maglev table. At most one address per"
                + " family."},
        footer = {"", "Examples:",
                "  slb register --stream stream-a-i --id 1 172.16.0.2 fd00::2",
                "  slb register --stream stream-a-i --id 2 172.16.0.3 --wait"})
final class RegisterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream to join.")
    String stream;

    @Option(names = "--id", required = true, paramLabel = "N", description = "The target's identifier within the"
            + " stream (1..maxTargets).")
    int identifier;

    @Parameters(arity = "1..2", paramLabel = "IP", description = "The target's addresses (one IPv4, one IPv6).")
    List<String> ips;

    @Option(names = "--wait", description = "Return once the dataplane sends the target traffic (or 10 s).")
    boolean wait;

    @Override
    public Integer call() {
        return Mutation.print(spec, client, client.client().register(new RegisterTarget(stream, identifier, ips), wait),
                "registered " + stream + "/" + identifier);
    }
}
