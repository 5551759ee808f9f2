package io.statelesslb.cli;

import io.statelesslb.config.Configuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        if (file.toString().equals("-")) {
            String yaml = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            Configuration.parse(STANDARD_INPUT, yaml);
            return new ConfigurationText(STANDARD_INPUT, yaml);
        }
        Configuration.load(file); // a file that cannot be read, or that has errors, says why
        return new ConfigurationText(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** @return where it came from, in words */
    String origin() {
        return name.equals(STANDARD_INPUT) ? "the standard input" : name;
    }
}
