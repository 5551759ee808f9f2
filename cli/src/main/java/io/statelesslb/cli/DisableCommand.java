package io.statelesslb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb disable}: drains a target, keeping its rule and route. */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        header = "Drain a target: no share of the flows, its rule and route kept.",
        description = {"Disable a target (TargetDisabled): it leaves the stream's Maglev table, so its flows go to"
                + " the other targets, while its fwmark rule and route stay, so that packets already marked for it"
                + " still reach it. Enable it again with slb enable; unregister it to remove it."},
        footer = {"", "Example:", "  slb disable --stream stream-a-i --id 44 --wait"})
final class DisableCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TargetSwitch target;

    @Override
    public Integer call() {
        return target.switchTo(spec, false);
    }
}
