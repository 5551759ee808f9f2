package io.statelesslb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb enable}: a disabled target takes its Maglev slot again. */
@Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        header = "Give a disabled target its share of new flows again.",
        description = {"Enable a target (TargetEnabled): it takes its slot in the stream's Maglev table again, so"
                + " that its share of the flows comes back to it. Enabling an enabled target changes nothing."},
        footer = {"", "Example:", "  slb enable --stream stream-a-i --id 44 --wait"})
final class EnableCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TargetSwitch target;

    @Override
    public Integer call() {
        return target.switchTo(spec, true);
    }
}
