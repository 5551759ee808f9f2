package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.api.http.StatusView;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb status}: whether the daemon is up, and how far the dataplane has caught up. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Print the daemon's readiness and progress.",
        description = {"Print a running daemon's backend, last event, the event the dataplane has caught up with,"
                + " and whether it is ready. Exits 1 when it is not ready."},
        footer = {"", "Example:", "  slb status"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        DaemonClient daemon = client.client();
        StatusView status = daemon.status();
        client.output.print(spec.commandLine().getOut(), status, out -> {
            out.println("server:    " + daemon.server());
            out.println("backend:   " + status.backend());
            out.println("events:    " + status.events() + (status.instance() == null ? ""
                    : " (instance " + status.instance() + ")"));
            if (status.tier() != null) {
                out.println("tier:      " + status.tier().stream().map(member -> member.name() + " "
                        + member.address() + " (fwmark " + member.fwmark() + ")").collect(Collectors.joining(", ")));
            }
            out.println("sequence:  " + status.sequence() + " (applied: " + status.appliedSequence() + ")");
            out.println("ready:     " + (status.ready() ? "yes" : "no: " + status.notReady()));
            out.println("queued:    " + status.queued() + " changes, " + status.watchers() + " watchers");
            if (status.lastApply() != null) {
                out.println("last:      " + status.lastApply());
            }
        });
        return status.ready() ? 0 : SlbCommand.FAILURE;
    }
}
