package io.statelesslb.daemon.cli;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.Event;
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
 * A file of events, one self-describing JSON event per line ({@code {"type":"VipDefined",...}}); blank lines and
 * lines starting with {@code #} are skipped. Errors name the file and the line.
 */
final class EventsFile {

    /** The bundled example: the seed's scenario. */
    static final String SEED_SCENARIO = "examples/seed-scenario.jsonl";

    private EventsFile() {
    }

    static List<Event> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Event> readBundled(String resource) {
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

    private static List<Event> read(String name, InputStream in) throws IOException {
        List<Event> events = new ArrayList<>();
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
                events.add(EventCodec.decodeTyped(trimmed));
            } catch (CodecException e) {
                throw new IllegalArgumentException(name + ":" + number + ": " + e.getMessage(), e);
            }
        }
        return events;
    }
}
