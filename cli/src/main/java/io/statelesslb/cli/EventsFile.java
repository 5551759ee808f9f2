package io.statelesslb.cli;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.CommandCodec;
import io.statelesslb.domain.command.Command;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario file: one self-describing JSON event per line ({@code {"type":"VipDefined",...}}), each read as the
 * command that asks for it, to be decided like any request; blank lines and lines starting with {@code #} are
 * skipped. Errors name the file and the line.
 */
final class EventsFile {

    /** The bundled example: the seed's scenario. */
    static final String SEED_SCENARIO = "examples/seed-scenario.jsonl";

    private EventsFile() {
    }

    static List<Command> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Command> readBundled(String resource) {
        InputStream in = EventsFile.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("bundled " + resource + " is missing from the jar");
        }
        try (in) {
            return read(resource, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Command> read(String name, InputStream in) throws IOException {
        List<Command> commands = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                commands.add(CommandCodec.decodeTyped(trimmed));
            } catch (CodecException e) {
                throw new IllegalArgumentException(name + ":" + number + ": " + e.getMessage(), e);
            }
        }
        return commands;
    }
}
