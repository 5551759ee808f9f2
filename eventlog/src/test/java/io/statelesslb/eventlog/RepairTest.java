package io.statelesslb.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repair converges: whatever the damage, the log it leaves is one the next start finds clean, and that takes appends
 * in sequence. Damage no start should pass over silently (a record that does not decode) is found, named with the
 * command that repairs it, and repaired.
 */
class RepairTest {

    /** Small segments: 120 records make several. */
    private static final EventLogOptions SMALL = new EventLogOptions(1024, false);

    @TempDir
    Path dir;

    private List<Path> segments;

    @BeforeEach
    void writeSeveralSegments() throws IOException {
        try (EventLog log = EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event)) {
            for (int i = 1; i <= 120; i++) {
                log.append(SampleEvents.number(i)).join();
            }
        }
        segments = LogScan.segments(dir);
        assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
    }

    /** Refused without repair, naming the command; repaired; then clean twice over, appends continuing. */
    private long repairConverges() {
        assertThatThrownBy(() -> EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event).close())
                .isInstanceOf(EventLogCorruptedException.class)
                .hasMessageContaining("then run: slb recover --data-dir " + dir + " --repair");
        long kept;
        try (EventLog log = EventLog.open(dir, SMALL.withRepair(true), Clock.systemUTC(), 0, LogRecord::event)) {
            assertThat(log.recovery().truncation()).isPresent();
            kept = log.lastSequence();
        }
        for (int round = 0; round < 2; round++) {
            try (EventLog log = EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event)) {
                assertThat(log.recovery().truncation()).as("the repaired log is clean").isEmpty();
                long next = log.append(SampleEvents.number(1000 + round)).join().sequence();
                assertThat(next).isEqualTo(kept + round + 1);
            }
        }
        List<Long> sequences = new ArrayList<>();
        EventLog.read(dir, record -> sequences.add(record.sequence()));
        assertThat(sequences).hasSize((int) kept + 2).isSorted();
        return kept;
    }

    @Test
    void aMissingMiddleSegmentIsRepairedDownToTheSegmentsBeforeIt() throws IOException {
        long before = LogFormat.firstSequenceOf(segments.get(2)) - 1;
        Files.delete(segments.get(2));
        assertThat(repairConverges()).isEqualTo(before);
    }

    @Test
    void anEarlierSegmentCutShortIsRepairedAtItsCut() throws IOException {
        Path first = segments.get(0);
        long records = LogFormat.firstSequenceOf(segments.get(1)) - 1;
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5);
        }
        assertThat(repairConverges()).isEqualTo(records - 1);
    }

    @Test
    void aFlippedBitInASegmentHeaderKeepsTheSegmentsRecords() throws IOException {
        Path second = segments.get(1);
        byte[] bytes = Files.readAllBytes(second);
        bytes[2] ^= 0x10;
        Files.write(second, bytes);
        assertThat(repairConverges()).as("nothing is dropped").isEqualTo(120);
    }

    @Test
    void anIntactRecordThatDoesNotDecodeIsCorruptionNamedAndRepaired() throws IOException {
        // Record 12 gets a type code no version has, with a checksum that holds: intact bytes, unusable content.
        long target = 12;
        Path file = null;
        long offset = -1;
        List<long[]> found = new ArrayList<>();
        EventLog.read(dir, record -> {
            if (record.sequence() == target) {
                found.add(new long[] {segments.indexOf(record.file()), record.offset()});
            }
        });
        file = segments.get((int) found.get(0)[0]);
        offset = found.get(0)[1];
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int at = (int) offset;
        buffer.putShort(at + LogFormat.TYPE_OFFSET, (short) 999);
        buffer.putInt(at + LogFormat.CRC_OFFSET, LogFormat.checksum(buffer, at, buffer.getInt(at
                + LogFormat.LENGTH_OFFSET)));
        Files.write(file, bytes);
        Path damaged = file;
        long where = offset;
        assertThatThrownBy(() -> EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event).close())
                .isInstanceOf(EventLogCorruptedException.class)
                .hasMessageContaining("corrupted in " + damaged + " at offset " + where + ": record 12 does not"
                        + " decode");
        assertThat(repairConverges()).isEqualTo(target - 1);
    }

    @Test
    void aLostLastSegmentIsARefusalToStartUntilTheLossIsAccepted() throws IOException {
        Path last = segments.get(segments.size() - 1);
        long kept = LogFormat.firstSequenceOf(last) - 1;
        Files.delete(last);
        long segmentsBefore = segmentCount(dir);
        assertThatThrownBy(() -> EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event).close())
                .isInstanceOf(EventLogException.class)
                .hasMessageContaining("ends at sequence " + kept + " but sequence 120 was acknowledged: "
                        + (120 - kept) + " acknowledged event(s) are missing")
                .hasMessageContaining("slb recover --data-dir " + dir + " --accept-loss");
        assertThat(segmentCount(dir)).as("a refused start changes nothing").isEqualTo(segmentsBefore);
        try (EventLog log = EventLog.open(dir, SMALL.withAcceptLoss(true), Clock.systemUTC(), 0,
                LogRecord::event)) {
            assertThat(log.lostAcknowledged()).isEqualTo(120 - kept);
            assertThat(log.append(SampleEvents.number(500)).join().sequence()).isEqualTo(kept + 1);
        }
        try (EventLog log = EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event)) {
            assertThat(log.lostAcknowledged()).as("accepted once, the mark follows the log again").isZero();
            assertThat(log.lastSequence()).isEqualTo(kept + 1);
        }
    }

    @Test
    void anIntactLastRecordWithTheWrongSequenceIsCorruptionNotATornTail() throws IOException {
        Path last = segments.get(segments.size() - 1);
        List<Long> offsets = new ArrayList<>();
        EventLog.read(dir, record -> {
            if (record.file().equals(last)) {
                offsets.add(record.offset());
            }
        });
        byte[] bytes = Files.readAllBytes(last);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int at = offsets.get(offsets.size() - 1).intValue();
        buffer.putLong(at + LogFormat.SEQUENCE_OFFSET, 7);
        buffer.putInt(at + LogFormat.CRC_OFFSET, LogFormat.checksum(buffer, at, buffer.getInt(at
                + LogFormat.LENGTH_OFFSET)));
        Files.write(last, bytes);
        assertThatThrownBy(() -> EventLog.open(dir, SMALL, Clock.systemUTC(), 0, LogRecord::event).close())
                .isInstanceOf(EventLogCorruptedException.class).hasMessageContaining("sequence 7 (expected: 120)");
        assertThat(repairConverges()).isEqualTo(119);
    }

    static long segmentCount(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> LogFormat.firstSequenceOf(file) > 0).count();
        }
    }
}
