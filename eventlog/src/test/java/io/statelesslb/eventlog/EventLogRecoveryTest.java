package io.statelesslb.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.api.codec.EventCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn tails are truncated and reported; damage before the tail stops start-up, naming file and offset. */
class EventLogRecoveryTest {

    private static final int RECORDS = 10;

    @TempDir
    Path work;

    private Path original;
    private Path segment;
    private final List<Long> offsets = new ArrayList<>();

    @BeforeEach
    void writeTenRecords() {
        original = work.resolve("original");
        try (EventLog log = EventLog.open(original, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, r -> { })) {
            for (int i = 1; i <= RECORDS; i++) {
                log.append(SampleEvents.number(i)).join();
            }
        }
        segment = original.resolve("00000000000000000001.log");
        EventLog.read(original, record -> offsets.add(record.offset()));
        assertThat(offsets).hasSize(RECORDS);
    }

    private Path copy(String name) throws IOException {
        Path target = work.resolve(name);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(original)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    private static List<Long> recover(Path dir, EventLogOptions options, List<RecoveryReport> report) {
        List<Long> numbers = new ArrayList<>();
        try (EventLog log = EventLog.open(dir, options, Clock.systemUTC(), 0,
                record -> numbers.add(SampleEvents.numberOf(EventCodec.decodeBody(record.type(), record.body()))))) {
            report.add(log.recovery());
            // The recovered log accepts appends and continues the sequence without a gap.
            assertThat(log.append(SampleEvents.number(99)).join().sequence()).isEqualTo(numbers.size() + 1);
        }
        return numbers;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void truncationAtEveryOffsetWithinTheLastThreeRecordsRecoversTheCompleteOnes() throws IOException {
        long size = Files.size(segment);
        for (long at = offsets.get(RECORDS - 3); at <= size; at++) {
            long cut = at;
            Path dir = copy("cut-" + cut);
            try (FileChannel channel = FileChannel.open(dir.resolve(segment.getFileName()), StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            long complete = offsets.stream().filter(o -> o < cut).count()
                    - (offsets.contains(cut) || cut == size ? 0 : 1);
            List<RecoveryReport> report = new ArrayList<>();
            List<Long> recovered = recover(dir, EventLogOptions.DEFAULTS, report);
            assertThat(recovered).as("cut at %d", cut).hasSize((int) complete)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, complete).boxed().toList());
            boolean atBoundary = offsets.contains(cut) || cut == size;
            assertThat(report.get(0).truncation().isPresent()).as("truncation reported for cut %d", cut)
                    .isEqualTo(!atBoundary);
            report.get(0).truncation().ifPresent(t -> {
                assertThat(t.offset()).isEqualTo(offsets.get((int) complete));
                assertThat(t.bytesDropped()).isEqualTo(cut - offsets.get((int) complete));
                assertThat(t.repair()).isFalse();
            });
            assertThat(report.get(0).lastSequence()).isEqualTo(complete);
            delete(dir);
        }
    }

    @Test
    void aZeroFilledTailIsTruncatedAsATornWrite() throws IOException {
        Path dir = copy("zeros");
        Files.write(dir.resolve(segment.getFileName()), new byte[4096], StandardOpenOption.APPEND);
        List<RecoveryReport> report = new ArrayList<>();
        assertThat(recover(dir, EventLogOptions.DEFAULTS, report)).hasSize(RECORDS);
        assertThat(report.get(0).truncation().get().reason()).isEqualTo("zero-filled tail");
        assertThat(report.get(0).truncation().get().bytesDropped()).isEqualTo(4096);
    }

    @Test
    void everySingleBitFlipIsEitherATruncatedTailOrNamedCorruption() throws IOException {
        byte[] pristine = Files.readAllBytes(segment);
        Path dir = work.resolve("flipped");
        Files.createDirectories(dir);
        Path file = dir.resolve(segment.getFileName());
        long lastRecord = offsets.get(RECORDS - 1);
        for (int bit = 0; bit < pristine.length * 8; bit++) {
            int position = bit / 8;
            byte[] damaged = pristine.clone();
            damaged[position] ^= (byte) (1 << (bit % 8));
            Files.write(file, damaged);
            Files.deleteIfExists(dir.resolve("LOCK"));
            Files.deleteIfExists(dir.resolve(HighWaterMark.FILE)); // each flip is a copy of its own
            int flipped = position;
            long recordStart = offsets.stream().filter(o -> o <= flipped).reduce((a, b) -> b).orElse(0L);
            if (position >= lastRecord) {
                // Damage in the last record: nothing intact follows, so it is a torn tail.
                List<RecoveryReport> report = new ArrayList<>();
                assertThat(recover(dir, EventLogOptions.DEFAULTS, report)).as("flip of bit %d", bit)
                        .hasSize(RECORDS - 1);
                assertThat(report.get(0).truncation().get().offset()).isEqualTo(lastRecord);
            } else {
                long expectedOffset = position < LogFormat.MAGIC.length ? 0 : recordStart;
                assertThatThrownBy(() -> EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, r -> { }))
                        .as("flip of bit %d", bit)
                        .isInstanceOfSatisfying(EventLogCorruptedException.class, e -> {
                            assertThat(e.file()).isEqualTo(file);
                            assertThat(e.offset()).isEqualTo(expectedOffset);
                            assertThat(e.getMessage()).startsWith("event log corrupted in " + file + " at offset "
                                    + expectedOffset + ": ");
                        });
            }
        }
        // The line reliability/campaigns.py puts in docs/reliability.md.
        System.out.printf("campaign: %d single-bit flips of a %d-record segment: %d torn tails truncated, %d named"
                + " corruption (file and offset)%n", pristine.length * 8, RECORDS, (pristine.length - lastRecord) * 8,
                lastRecord * 8);
    }

    @Test
    void repairTruncatesAtTheCorruptRecordAndReportsIt() throws IOException {
        Path dir = copy("repair");
        Path file = dir.resolve(segment.getFileName());
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) (offsets.get(4) + LogFormat.HEADER_BYTES + 3)] ^= 0x10;
        Files.write(file, bytes);
        assertThatThrownBy(() -> EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, r -> { }))
                .isInstanceOf(EventLogCorruptedException.class)
                .hasMessageContaining("at offset " + offsets.get(4) + ": checksum mismatch")
                .hasMessageEndingWith("then run: slb recover --data-dir " + dir + " --repair; it cuts the log there,"
                        + " dropping everything after it)");
        assertThat(Files.readAllBytes(file)).as("a refused start changes nothing").isEqualTo(bytes);
        List<RecoveryReport> report = new ArrayList<>();
        assertThat(recover(dir, EventLogOptions.DEFAULTS.withRepair(true), report)).containsExactly(1L, 2L, 3L, 4L);
        RecoveryReport.Truncation truncation = report.get(0).truncation().get();
        assertThat(truncation.repair()).isTrue();
        assertThat(truncation.offset()).isEqualTo(offsets.get(4));
        assertThat(truncation.bytesDropped()).isEqualTo(bytes.length - offsets.get(4));
    }

    @Test
    void damageInAnEarlierSegmentIsCorruptionEvenWhenNothingFollowsInIt() throws IOException {
        Path dir = work.resolve("segments");
        EventLogOptions small = new EventLogOptions(1024, false);
        try (EventLog log = EventLog.open(dir, small, Clock.systemUTC(), 0, r -> { })) {
            for (int i = 1; i <= 40; i++) {
                log.append(SampleEvents.number(i)).join();
            }
        }
        List<Path> segments = LogScan.segments(dir);
        Path first = segments.get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 2] ^= 0x01;
        Files.write(first, bytes);
        assertThatThrownBy(() -> EventLog.open(dir, small, Clock.systemUTC(), 0, r -> { }))
                .isInstanceOfSatisfying(EventLogCorruptedException.class, e -> assertThat(e.file()).isEqualTo(first));
    }

    @Test
    void readingNeverChangesTheLogAndReportsATornTail() throws IOException {
        Path dir = copy("read-only");
        Path file = dir.resolve(segment.getFileName());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 3);
        }
        long size = Files.size(file);
        List<Long> read = new ArrayList<>();
        RecoveryReport report = EventLog.read(dir, record -> read.add(record.sequence()));
        assertThat(read).hasSize(RECORDS - 1);
        assertThat(report.truncation()).isPresent();
        assertThat(Files.size(file)).isEqualTo(size);
    }
}
