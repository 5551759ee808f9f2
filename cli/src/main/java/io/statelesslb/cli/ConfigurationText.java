package io.statelesslb.cli;

import io.statelesslb.config.Configuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A configuration as {@code slb apply -f} and {@code slb diff -f} take it: a file, or the standard input for
 * {@code -}, read and checked here (errors located in it) before anything is sent.
 *
 * @param name the file's name, or {@code <stdin>}, as the daemon's messages locate errors in it
 */
record ConfigurationText(String name, String yaml) {

    private static final String STANDARD_INPUT = "<stdin>";

    static ConfigurationText read(Path file) throws IOException {
        boolean standardInput = file.toString().equals("-");
        ConfigurationText text = standardInput
                ? new ConfigurationText(STANDARD_INPUT, new String(System.in.readAllBytes(), StandardCharsets.UTF_8))
                : new ConfigurationText(file.toString(), Configuration.read(file));
        Configuration.parse(text.name(), text.yaml()); // a file with errors says where, before anything is sent
        return text;
    }

    /** @return where it came from, in words */
    String origin() {
        return name.equals(STANDARD_INPUT) ? "the standard input" : name;
    }
}
