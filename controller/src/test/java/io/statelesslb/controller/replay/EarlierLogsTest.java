package io.statelesslb.controller.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs written by version 0.1 (commit dc78b63, when events held strings) still replay, into the state that version
 * replayed them into. The logs and the expected states under {@code compat/v0.1} were made by that version's
 * {@code slb demo --events} and {@code slb replay -o json}; see the README there.
 */
class EarlierLogsTest {

    /** Event types that came after version 0.1. */
    private static final Set<String> ADDED_SINCE = Set.of("LoadBalancerConfigured", "RoutingDaemonRestarted",
            "InstanceJoined", "InstanceLeft");

    @TempDir
    Path work;

    @Test
    void aLogOfEveryEventTypeDecodesRecordByRecordToTheSameBytes() {
        List<LogRecord> records = records("all-types");

        Set<String> types = new TreeSet<>();
        for (LogRecord record : records) {
            byte[] reEncoded = EventCodec.encodeBody(EventCodec.decodeBody(record.type(), record.body()));
            assertThat(new String(reEncoded)).as("record %d", record.sequence()).isEqualTo(new String(record.body()));
            types.add(EventType.ofCode(record.type()).orElseThrow().typeName());
        }
        assertThat(types).as("every event type version 0.1 had is in the log")
                .isEqualTo(Arrays.stream(EventType.values()).map(EventType::typeName)
                        .filter(type -> !ADDED_SINCE.contains(type)).collect(Collectors.toSet()));
    }

    @Test
    void replayGivesTheStateThatVersionGave() {
        assertReplaysTo("all-types", 28, "all-types/state-at-28.json");
        assertReplaysTo("all-types", Long.MAX_VALUE, "all-types/state-at-end.json");
    }

    @Test
    void spellingsThatVersionKeptAsWrittenReplayIntoTheSameState() {
        // Upper-case IPv6 and MAC, "UDP", "0100", "53-53", "UDP[0:2]=53": events now hold parsed values, so these
        // decode to the values that version's fold made of them.
        assertReplaysTo("raw-spellings", Long.MAX_VALUE, "raw-spellings/state-at-end.json");
    }

    /**
     * Compares states, not documents: that version's snapshot document is read by today's codec (so its snapshots
     * still load), and sets in it may be listed in another order (ports were sorted as text then).
     */
    private void assertReplaysTo(String log, long until, String expectedState) {
        Replay replay = new Replay(until, null);
        records(log).forEach(replay::accept);
        SnapshotCodec.Snapshot expected = SnapshotCodec.decode(bytes(resource(expectedState)));
        assertThat(replay.sequence()).isEqualTo(expected.sequence());
        assertThat(replay.state()).as("state after %s up to #%d", log, replay.sequence()).isEqualTo(expected.state());
    }

    /** @return the records of a log, read from a copy so that nothing can change the resource */
    private List<LogRecord> records(String log) {
        Path dir = work.resolve(log);
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(resource(log))) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<LogRecord> records = new ArrayList<>();
        EventLog.read(dir, records::add);
        assertThat(records).as("records in %s", log).isNotEmpty();
        return records;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(EarlierLogsTest.class.getResource("/compat/v0.1/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
