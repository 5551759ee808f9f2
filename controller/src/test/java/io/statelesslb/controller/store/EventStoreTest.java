package io.statelesslb.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.decide.ProblemKind;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.eventlog.EventLogOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static void submitAll(EventStore store, List<Command> events) {
        for (Command event : events) {
            assertThat(store.submit(event).join()).as("%s", event).isInstanceOf(Submission.Recorded.class);
        }
    }

    @Test
    void aRejectedEventIsNotLoggedAndChangesNothing() {
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, CLOCK)) {
            submitAll(store, Scenarios.seed());
            State before = store.state();
            long sequence = store.sequence();
            Submission answer = store.submit(new RegisterTarget("stream-a-i", 0, List.of("172.16.0.99"))).join();
            assertThat(answer).isInstanceOfSatisfying(Submission.Rejected.class, rejected ->
                    assertThat(rejected.problems()).extracting(p -> p.kind())
                            .containsExactly(ProblemKind.OUT_OF_RANGE));
            assertThat(store.state()).isSameAs(before);
            assertThat(store.sequence()).isEqualTo(sequence);
        }
    }

    @Test
    void reopeningRebuildsTheSameState() {
        State expected = Scenarios.fold(Scenarios.seed());
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, CLOCK)) {
            submitAll(store, Scenarios.seed());
            assertThat(store.state()).isEqualTo(expected);
        }
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, CLOCK)) {
            assertThat(store.state()).isEqualTo(expected);
            assertThat(store.sequence()).isEqualTo(Scenarios.seed().size());
            assertThat(store.snapshotSequence()).isZero();
        }
    }

    @Test
    void aSnapshotIsTakenEveryKEventsAndStartUpReplaysOnlyWhatFollowsIt() throws IOException {
        EventStoreOptions everyFive = new EventStoreOptions(EventLogOptions.DEFAULTS, 5);
        List<Command> events = Scenarios.seed();
        try (EventStore store = EventStore.open(dir, everyFive, CLOCK)) {
            submitAll(store, events);
            submitAll(store, List.of(new UnregisterTarget("stream-a-i", 44)));
        }
        State expected = Scenarios.after(Scenarios.fold(events), new UnregisterTarget("stream-a-i", 44));
        int total = events.size() + 1;
        try (EventStore store = EventStore.open(dir, everyFive, CLOCK)) {
            assertThat(store.snapshotSequence()).isEqualTo(total / 5 * 5);
            assertThat(store.state()).isEqualTo(expected);
            assertThat(store.sequence()).isEqualTo(total);
        }
        // A damaged snapshot is never trusted: start-up falls back to an older one or the whole log.
        try (Stream<Path> files = Files.list(dir)) {
            for (Path snapshot : files.filter(f -> f.getFileName().toString().startsWith("snapshot-")).toList()) {
                byte[] bytes = Files.readAllBytes(snapshot);
                bytes[20] ^= 0x40;
                Files.write(snapshot, bytes);
            }
        }
        try (EventStore store = EventStore.open(dir, everyFive, CLOCK)) {
            assertThat(store.snapshotSequence()).isZero();
            assertThat(store.state()).isEqualTo(expected);
            assertThat(store.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w).contains("checksum mismatch"));
        }
    }
}
