package io.statelesslb.cli;

import io.statelesslb.api.http.DiffView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb diff}: how the dataplane differs from what the state says it should hold. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        header = "Print how the dataplane differs from the plan of the state.",
        description = {"Print the operations that would bring what the backend holds (read back from the kernel) to"
                + " the plan of the daemon's state, in the order they would be applied. Empty when they agree: the"
                + " daemon applies these itself on every change, on kernel notifications and every 10 s, so a lasting"
                + " difference points at an operation the kernel keeps refusing (see slb status).",
                "Exits 0 when they agree, 1 when they differ."},
        footer = {"", "Example:", "  slb diff"})
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        DiffView diff = client.client().diff();
        client.output.print(spec.commandLine().getOut(), diff, out -> {
            if (diff.operations().isEmpty()) {
                out.println("the " + diff.backend() + " dataplane holds the plan of the state at event #"
                        + diff.sequence());
            } else {
                out.println("# to bring the " + diff.backend() + " dataplane to the plan of the state at event #"
                        + diff.sequence() + ":");
                diff.operations().forEach(out::println);
            }
        });
        return diff.operations().isEmpty() ? 0 : SlbCommand.FAILURE;
    }
}
