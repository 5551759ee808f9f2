package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.api.http.RecordedView;
import io.statelesslb.api.http.TargetView;
import io.statelesslb.domain.command.RegisterTarget;
import java.io.PrintWriter;
import java.time.Duration;
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
                "  slb register --stream stream-a-i --id 2 172.16.0.3 --wait --timeout 1m"})
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

    @Option(names = "--wait", description = "Return once the target is active (the dataplane sends it traffic), or"
            + " say why it is not and exit 1.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Timeout.class,
            description = "How long --wait waits, such as 30s, 2m or 500ms (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        DaemonClient daemon = client.client();
        RecordedView recorded = daemon.register(new RegisterTarget(stream, identifier, ips), wait);
        String what = "registered " + stream + "/" + identifier;
        if (!wait) {
            return Mutation.print(spec, client, recorded, what);
        }
        // Applied is not enough: a target is active only once its conduit and its neighbour are there.
        long deadline = System.nanoTime() + timeout.toNanos();
        TargetView target = daemon.targetStatus(stream, identifier);
        while (!target.status().equals("active") && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            target = daemon.targetStatus(stream, identifier);
        }
        TargetView status = target;
        boolean active = status.status().equals("active");
        PrintWriter out = spec.commandLine().getOut();
        client.output.print(out, status, table -> table.println(what + (recorded.changedNothing()
                ? " (unchanged: already registered)" : " (event #" + recorded.sequence() + ")") + "; " + (active
                ? "active, fwmark " + status.fwmark() : status.status() + " after " + Timeout.text(timeout)
                + (status.reason() == null ? "" : ": " + status.reason()))));
        return active ? 0 : SlbCommand.FAILURE;
    }
}
