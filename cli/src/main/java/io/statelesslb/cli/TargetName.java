package io.statelesslb.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A target as {@code slb get} and {@code slb delete} name it: {@code STREAM/ID}, such as {@code stream-a-i/44}. */
record TargetName(String stream, int identifier) {

    /** @return the target {@code name} names; a usage error of {@code spec}'s command when it names none */
    static TargetName parse(CommandSpec spec, String name) {
        String[] parts = name.split("/");
        if (parts.length != 2) {
            throw new ParameterException(spec.commandLine(), "target " + name
                    + " (expected: STREAM/ID, such as stream-a-i/44)");
        }
        try {
            return new TargetName(parts[0], Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "target " + name + " (expected: STREAM/ID with ID a"
                    + " number, such as stream-a-i/44)");
        }
    }
}
