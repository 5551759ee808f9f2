package io.statelesslb.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.RecordedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static List<Event> readBack(Path dir) {
        List<Event> events = new ArrayList<>();
        EventLog.read(dir, record -> events.add(EventCodec.decodeBody(record.type(), record.body())));
        return events;
    }

    @Test
    void appendsAreAcknowledgedWithConsecutiveSequencesAndTheClocksTime() {
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { })) {
            RecordedEvent first = log.append(SampleEvents.number(1)).join();
            RecordedEvent second = log.append(SampleEvents.number(2)).join();
            assertThat(first.sequence()).isEqualTo(1);
            assertThat(second.sequence()).isEqualTo(2);
            assertThat(second.timestamp()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
            assertThat(second.event()).isEqualTo(SampleEvents.number(2));
        }
    }

    @Test
    void theLogAndItsSnapshotsAreTheOwnersAloneWhateverTheUmask() throws IOException {
        Path data = dir.resolve("data");
        try (EventLog log = EventLog.open(data, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { })) {
            log.append(SampleEvents.number(1)).join();
        }
        new SnapshotStore(data).save(1, 0L, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        try (var files = Files.list(data)) {
            files.forEach(file -> assertThat(
                    PosixFilePermissions.toString(uncheckedPermissions(file))).as(file.toString())
                    .isEqualTo("rw-------"));
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPermissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void reopeningReplaysEveryAcknowledgedRecordInOrderAndContinuesTheSequence() {
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { })) {
            for (int i = 1; i <= 20; i++) {
                log.append(SampleEvents.number(i)).join();
            }
        }
        List<Long> replayed = new ArrayList<>();
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, 5, r -> replayed.add(r.sequence()))) {
            assertThat(log.recovery().records()).isEqualTo(20);
            assertThat(log.recovery().truncation()).isEmpty();
            assertThat(log.append(SampleEvents.number(21)).join().sequence()).isEqualTo(21);
        }
        assertThat(replayed).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(6, 20).boxed().toList());
        assertThat(readBack(dir)).hasSize(21).element(20).isEqualTo(SampleEvents.number(21));
    }

    @Test
    void concurrentAppendsAreGroupCommittedWithoutGapsOrDuplicates() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        FileSync counting = channel -> {
            syncs.incrementAndGet();
            channel.force(false);
        };
        int threads = 16;
        int perThread = 300;
        List<CompletableFuture<RecordedEvent>> acks = new ArrayList<>();
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, counting, 0, r -> { })) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<List<CompletableFuture<RecordedEvent>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<RecordedEvent>> mine = new ArrayList<>();
                    for (int i = 1; i <= perThread; i++) {
                        mine.add(log.append(SampleEvents.number(base + i)));
                    }
                    return mine;
                }));
            }
            for (var future : submitted) {
                acks.addAll(future.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        List<Long> sequences = acks.stream().map(f -> f.join().sequence()).sorted().toList();
        assertThat(sequences).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, threads * perThread).boxed().toList());
        assertThat(syncs.get()).as("fsyncs for %d appends", threads * perThread).isLessThan(threads * perThread);
        List<Event> stored = readBack(dir);
        for (CompletableFuture<RecordedEvent> ack : acks) {
            assertThat(stored.get((int) ack.join().sequence() - 1)).isEqualTo(ack.join().event());
        }
    }

    @Test
    void segmentsRollOverAndAreReadBackInOrder() throws IOException {
        EventLogOptions small = new EventLogOptions(1024, false);
        try (EventLog log = EventLog.open(dir, small, CLOCK, 0, r -> { })) {
            for (int i = 1; i <= 100; i++) {
                log.append(SampleEvents.number(i)).join();
            }
        }
        List<Path> segments = LogScan.segments(dir);
        assertThat(segments.size()).isGreaterThan(5);
        assertThat(segments.get(0).getFileName()).hasToString("00000000000000000001.log");
        try (EventLog log = EventLog.open(dir, small, CLOCK, 0, r -> { })) {
            assertThat(log.recovery().segments()).isEqualTo(segments.size());
            assertThat(log.append(SampleEvents.number(101)).join().sequence()).isEqualTo(101);
        }
        List<Event> stored = readBack(dir);
        assertThat(stored).hasSize(101);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(SampleEvents.numberOf(stored.get(i))).isEqualTo(i + 1);
        }
    }

    @Test
    void aMissingDirectoryIsCreated() {
        Path nested = dir.resolve("a/b/data");
        try (EventLog log = EventLog.open(nested, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { })) {
            log.append(SampleEvents.number(1)).join();
        }
        assertThat(nested.resolve("00000000000000000001.log")).exists();
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> EventLog.open(file, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { }))
                .isInstanceOf(EventLogException.class)
                .hasMessage("event log directory " + file + " is not a directory (expected: a directory or a path to"
                        + " create)");
    }

    @Test
    void aSecondWriterOnTheSameDirectoryIsRefused() {
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { })) {
            assertThatThrownBy(() -> EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, 0, r -> { }))
                    .isInstanceOf(EventLogException.class).hasMessageContaining("is in use by another process");
        }
    }

    @Test
    void aFailedFsyncStopsTheLogForGood() {
        AtomicInteger calls = new AtomicInteger();
        FileSync failingThird = channel -> {
            if (calls.incrementAndGet() == 3) {
                throw new IOException("Input/output error");
            }
            channel.force(false);
        };
        // Sync 1 is the new segment's header; sync 2 acknowledges the first append; sync 3 fails.
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, CLOCK, failingThird, 0, r -> { })) {
            assertThat(log.append(SampleEvents.number(1)).join().sequence()).isEqualTo(1);
            assertThatThrownBy(() -> log.append(SampleEvents.number(2)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasMessageContaining("stopped accepting writes").hasMessageContaining("Input/output error");
            assertThatThrownBy(() -> log.append(SampleEvents.number(3)).join())
                    .hasMessageContaining("stopped accepting writes");
            assertThat(calls.get()).as("a failed fsync is never retried").isEqualTo(3);
            assertThat(log.failure()).isPresent();
        }
    }
}
