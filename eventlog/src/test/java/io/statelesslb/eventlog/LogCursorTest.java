package io.statelesslb.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCursorTest {

    /** Small segments, so that 300 records span about forty of them. */
    private static final EventLogOptions SMALL_SEGMENTS = new EventLogOptions(1024, false);

    @TempDir
    Path dir;

    private EventLog writeRecords(int count) {
        EventLog log = EventLog.open(dir, SMALL_SEGMENTS, Clock.systemUTC(), 0, record -> { });
        for (int n = 1; n <= count; n++) {
            log.append(SampleEvents.number(n)).join();
        }
        return log;
    }

    private static List<Long> page(LogCursor cursor, int limit, long upTo) {
        List<Long> sequences = new ArrayList<>();
        cursor.read(limit, upTo, record -> sequences.add(record.sequence()));
        return sequences;
    }

    @Test
    void readsPagesForwardFromTheMiddleOfAnySegmentAcrossSegments() throws Exception {
        try (EventLog log = writeRecords(300)) {
            assertThat(LogScan.segments(dir)).hasSizeGreaterThan(10);
            try (LogCursor cursor = EventLog.cursor(dir, 137)) {
                assertThat(page(cursor, 50, 300)).containsExactlyElementsOf(range(138, 187));
                assertThat(page(cursor, 1000, 300)).containsExactlyElementsOf(range(188, 300));
                assertThat(page(cursor, 1000, 300)).as("at the end").isEmpty();
            }
        }
    }

    @Test
    void readsNothingBeyondWhatItIsToldIsOnDiskAndResumesAsTheLogGrows() {
        try (EventLog log = writeRecords(40)) {
            try (LogCursor cursor = EventLog.cursor(dir, 0)) {
                assertThat(page(cursor, 1000, 25)).containsExactlyElementsOf(range(1, 25));
                assertThat(page(cursor, 1000, 25)).isEmpty();
                for (int n = 41; n <= 90; n++) {
                    log.append(SampleEvents.number(n)).join();
                }
                assertThat(page(cursor, 1000, 90)).containsExactlyElementsOf(range(26, 90));
                assertThat(cursor.next()).isEqualTo(91);
            }
        }
    }

    @Test
    void handsTheRecordsEventsWithTheirFileAndOffset() {
        try (EventLog log = writeRecords(30)) {
            List<LogRecord> records = new ArrayList<>();
            try (LogCursor cursor = EventLog.cursor(dir, 28)) {
                cursor.read(10, 30, records::add);
            }
            assertThat(records).extracting(LogRecord::event)
                    .containsExactly(SampleEvents.number(29), SampleEvents.number(30));
            assertThat(records.get(0).file()).isEqualTo(records.get(1).file());
            assertThat(records.get(1).offset()).isGreaterThan(records.get(0).offset());
        }
    }

    @Test
    void aDamagedRecordInTheRangeIsCorruptionNamingFileAndOffset() throws IOException {
        LogRecord[] fiftieth = new LogRecord[1];
        try (EventLog log = writeRecords(100)) {
            try (LogCursor cursor = EventLog.cursor(dir, 49)) {
                cursor.read(1, 100, record -> fiftieth[0] = record);
            }
        }
        try (RandomAccessFile file = new RandomAccessFile(fiftieth[0].file().toFile(), "rw")) {
            long at = fiftieth[0].offset() + LogFormat.HEADER_BYTES + 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }
        try (LogCursor cursor = EventLog.cursor(dir, 10)) {
            assertThatThrownBy(() -> page(cursor, 1000, 100))
                    .isInstanceOf(EventLogCorruptedException.class)
                    .hasMessageContaining(fiftieth[0].file().getFileName().toString())
                    .hasMessageContaining("offset " + fiftieth[0].offset())
                    .hasMessageContaining("checksum mismatch in record 50");
        }
        try (LogCursor cursor = EventLog.cursor(dir, 50)) {
            assertThat(page(cursor, 1000, 100)).as("the records after the damaged one").hasSize(50);
        }
    }

    private static List<Long> range(long first, long last) {
        List<Long> sequences = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            sequences.add(n);
        }
        return sequences;
    }
}
