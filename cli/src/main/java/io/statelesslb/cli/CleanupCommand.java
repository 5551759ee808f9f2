package io.statelesslb.cli;

import io.statelesslb.nfqueue.dataplane.KernelDataplane;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb cleanup}: everything stateless-lb put in the kernel, removed. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        header = "Remove everything stateless-lb owns from the kernel.",
        description = {"Remove stateless-lb's nf_tables tables (meridio-nfqlb, meridio-nat, meridio-defrag) and every"
                + " policy rule and route tagged as its own (proto 115), as kube-proxy --cleanup does. Nothing else"
                + " is touched. Needs root.",
                "Refused while a running daemon listens on the queues the tables name: stop it first (it would put"
                        + " everything back within seconds)."},
        footer = {"", "Examples:",
                "  slb cleanup --dry-run",
                "  slb cleanup --netns lb"})
final class CleanupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--netns", paramLabel = "NAME", description = "Clean this network namespace (as ip netns names"
            + " it) instead of this process's own.")
    String netns;

    @Option(names = "--dry-run", description = "Print what would be removed, and remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!JnaNetlinkSocket.isAvailable()) {
            throw new IllegalArgumentException("netlink is not available here ("
                    + JnaNetlinkSocket.unavailabilityCause().getMessage() + "): nothing of stateless-lb's can be in"
                    + " this kernel");
        }
        List<String> removed;
        try (KernelDataplane kernel = KernelDataplane.open(netns == null ? null : Path.of("/run/netns", netns))) {
            removed = kernel.cleanup(dryRun);
        } catch (NetlinkException e) {
            throw new IllegalArgumentException("the kernel refused (" + e.getMessage() + "; cleanup needs root, and"
                    + " no running daemon on the queues)", e);
        }
        removed.forEach(out::println);
        out.println(removed.isEmpty() ? "nothing of stateless-lb's in the kernel"
                : removed.size() + " object(s) " + (dryRun ? "would be removed" : "removed"));
        return 0;
    }
}
