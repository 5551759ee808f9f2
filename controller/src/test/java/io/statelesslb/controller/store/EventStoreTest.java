package io.statelesslb.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.decide.ProblemKind;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.LogCursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    void anOperatorsChangeTheStateAlreadyHoldsIsNotLoggedAndAnObservationIs() {
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, CLOCK)) {
            submitAll(store, Scenarios.seed());
            long sequence = store.sequence();
            State before = store.state();
            List<Command> again = List.of(Scenarios.seed().get(2), new EnableTarget("stream-a-i", 44),
                    new RegisterTarget("stream-a-i", 44, List.of("172.16.1.6", "fd00:0:0:1::6")));
            for (Command command : again) {
                assertThat(store.submit(command).join()).as("%s", command)
                        .isInstanceOfSatisfying(Submission.Unchanged.class, unchanged -> {
                            assertThat(unchanged.sequence()).isEqualTo(sequence);
                            assertThat(unchanged.state()).isSameAs(before);
                        });
            }
            assertThat(store.sequence()).isEqualTo(sequence);
            // What the machine reports is a fact each time it is seen, even when it says what it said before.
            Command observed = Scenarios.seed().stream().filter(ObservationCommand.class::isInstance).findFirst()
                    .orElseThrow();
            assertThat(store.submit(observed).join()).isInstanceOf(Submission.Recorded.class);
            // A change that is one is recorded after an unchanged one, in order.
            assertThat(store.submit(new DisableTarget("stream-a-i", 44)).join())
                    .isInstanceOfSatisfying(Submission.Recorded.class, recorded ->
                            assertThat(recorded.event().sequence()).isEqualTo(sequence + 2));
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

    @Test
    void eachRecordKeepsWhoAskedForItAcrossARestartAndASnapshotAfterOneIsUsed() {
        EventStoreOptions everyFive = new EventStoreOptions(EventLogOptions.DEFAULTS, 5);
        List<Command> events = Scenarios.seed();
        try (EventStore store = EventStore.open(dir, everyFive, CLOCK)) {
            for (int i = 0; i < events.size(); i++) {
                Submission answer = store.submit(events.get(i), i % 2 == 0 ? "API client 127.0.0.1:" + (40000 + i)
                        : null).join();
                assertThat(answer).isInstanceOfSatisfying(Submission.Recorded.class, recorded ->
                        assertThat(recorded.event().source()).isEqualTo(recorded.event().sequence() % 2 == 1
                                ? "API client 127.0.0.1:" + (40000 + recorded.event().sequence() - 1) : null));
            }
        }
        List<String> sources = new ArrayList<>();
        try (LogCursor cursor = EventLog.cursor(dir, 0)) {
            cursor.read(1000, events.size(), record -> sources.add(record.stored().source()));
        }
        assertThat(sources).hasSize(events.size()).startsWith("API client 127.0.0.1:40000", null,
                "API client 127.0.0.1:40002");
        // The snapshots taken after records with a source match them: a restart replays only what follows.
        try (EventStore store = EventStore.open(dir, everyFive, CLOCK)) {
            assertThat(store.snapshotSequence()).isEqualTo(events.size() / 5 * 5);
            assertThat(store.state()).isEqualTo(Scenarios.fold(events));
        }
    }

    @Test
    void aSnapshotOfAnotherHistoryIsNeverUsedEvenOnceTheLogPassesItsSequence() throws IOException {
        // History A, snapshotted; then the log is cut behind the snapshot (a repair) and written again: history B,
        // longer than A's snapshot, with other records at the same sequences.
        Path a = dir.resolve("a");
        List<Command> historyA = new ArrayList<>(Scenarios.seed());
        try (EventStore store = EventStore.open(a, new EventStoreOptions(EventLogOptions.DEFAULTS, 5), CLOCK)) {
            submitAll(store, historyA);
        }
        List<Command> historyB = new ArrayList<>(Scenarios.seedConfiguration());
        for (int id = 1; id <= 20; id++) {
            historyB.add(new RegisterTarget("stream-a-i", id, List.of("172.16.0." + (100 + id))));
        }
        Path b = dir.resolve("b");
        Clock later = Clock.offset(CLOCK, Duration.ofHours(1));
        try (EventStore store = EventStore.open(b, new EventStoreOptions(EventLogOptions.DEFAULTS, 0), later)) {
            submitAll(store, historyB);
        }
        List<Path> copied = new ArrayList<>();
        try (Stream<Path> files = Files.list(a)) {
            for (Path snapshot : files.filter(f -> f.getFileName().toString().startsWith("snapshot-")).toList()) {
                copied.add(Files.copy(snapshot, b.resolve(snapshot.getFileName())));
            }
        }
        assertThat(copied).isNotEmpty();

        try (EventStore store = EventStore.open(b, new EventStoreOptions(EventLogOptions.DEFAULTS, 5), later)) {
            assertThat(store.state()).as("the state replay gives").isEqualTo(Scenarios.fold(historyB));
            assertThat(store.snapshotSequence()).isZero();
            assertThat(store.warnings()).anySatisfy(warning -> assertThat(warning)
                    .contains("does not follow the log's history (another record is at sequence")
                    .contains("every snapshot removed, replaying the whole log instead"));
        }
        assertThat(copied).as("removed before anything was appended").noneMatch(Files::exists);
    }

    @Test
    void aSnapshotAheadOfACutLogIsRemovedSoThatItIsNotFoundOnceTheLogGrowsPastIt() throws IOException {
        EventStoreOptions everyFive = new EventStoreOptions(EventLogOptions.DEFAULTS, 5);
        try (EventStore store = EventStore.open(dir, everyFive, CLOCK)) {
            submitAll(store, Scenarios.seed());
        }
        Path snapshot;
        try (Stream<Path> files = Files.list(dir)) {
            snapshot = files.filter(f -> f.getFileName().toString().startsWith("snapshot-")).max(Path::compareTo)
                    .orElseThrow();
        }
        // Everything but the configuration is cut away, as a repair behind the snapshot does.
        int kept = Scenarios.seedConfiguration().size();
        Path copy = dir.resolve("cut");
        try (EventStore store = EventStore.open(copy, new EventStoreOptions(EventLogOptions.DEFAULTS, 0), CLOCK)) {
            submitAll(store, Scenarios.seedConfiguration());
        }
        Files.copy(snapshot, copy.resolve(snapshot.getFileName()));
        try (EventStore store = EventStore.open(copy, everyFive, CLOCK)) {
            assertThat(store.sequence()).isEqualTo(kept);
            assertThat(store.state()).isEqualTo(Scenarios.fold(Scenarios.seedConfiguration()));
        }
        assertThat(copy.resolve(snapshot.getFileName())).doesNotExist();
    }
}
