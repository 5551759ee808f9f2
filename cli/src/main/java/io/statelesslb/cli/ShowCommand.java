package io.statelesslb.cli;

import io.statelesslb.api.http.MaglevView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb show --stream NAME}: a stream's Maglev table, as {@code nfqlb show} prints it. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Print a stream's Maglev table as nfqlb show does.",
        description = {"Print a stream's Maglev table as nfqlb show does (M, N, the first lookup entries, the active"
                + " fwmarks with their slots), followed by each active target's share of the table. -o json has"
                + " every lookup entry."},
        footer = {"", "Example:", "  slb show --stream stream-a-i"})
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream.")
    String stream;

    @Override
    public Integer call() {
        MaglevView maglev = client.client().maglev(stream);
        client.output.print(spec.commandLine().getOut(), maglev, out -> {
            out.print(maglev.show());
            for (MaglevView.Slot slot : maglev.active()) {
                out.printf("  target %-4d fwmark %-6d slot %-4d %7d entries  %5.1f%%%n", slot.identifier(),
                        slot.fwmark(), slot.slot(), slot.entries(), 100 * slot.share());
            }
        });
        return 0;
    }
}
