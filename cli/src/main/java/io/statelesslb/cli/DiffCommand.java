package io.statelesslb.cli;

import io.statelesslb.api.http.DiffView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code slb diff}: how the dataplane differs from what the state says it should hold; with {@code -f FILE}, how a
 * configuration file differs from the state, field by field.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        header = "Print how the dataplane differs from the state, or (-f) how a file differs from the state.",
        description = {"Print the operations that would bring what the backend holds (read back from the kernel) to"
                + " the plan of the daemon's state, in the order they would be applied. Empty when they agree: the"
                + " daemon applies these itself on every change, on kernel notifications and every 10 s, so a lasting"
                + " difference points at an operation the kernel keeps refusing (see slb status).",
                "With -f FILE (- for the standard input): what slb apply -f FILE would change, each object with the"
                + " fields that change (old => new), + for a new object and - for one the file no longer names."
                + " Nothing is changed.",
                "Exits 0 when they agree, 1 when they differ."},
        footer = {"", "Examples:", "  slb diff", "  slb diff -f trench.yaml"})
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A YAML configuration to compare with the"
            + " daemon's state (- for the standard input).")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (file != null) {
            return ConfigurationDiff.print(spec, client, file);
        }
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
