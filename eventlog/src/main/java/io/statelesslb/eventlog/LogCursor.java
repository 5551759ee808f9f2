package io.statelesslb.eventlog;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a log's records forward from a sequence, a page at a time, holding one record and a 64 KiB read buffer in
 * memory however long the log is: for watchers and listings that resume far back in a log that is being written.
 * A cursor reads only records up to a sequence its caller knows to be on disk, so it never meets a record being
 * written; it finds the first segment to read by name and skips the records before the start by their lengths.
 */
public final class LogCursor implements AutoCloseable {

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Path dir;
    private long next;
    private Path file;
    private DataInputStream in;
    private long offset;

    LogCursor(Path dir, long after) {
        this.dir = dir;
        this.next = after + 1;
    }

    /**
     * Hands the next records to {@code visitor}, in order.
     *
     * @param limit at most this many records
     * @param upTo  the last sequence to read: one the log has acknowledged (on disk), never a later one
     * @return how many records were handed (0 once {@code upTo} is reached)
     * @throws EventLogCorruptedException when a record up to {@code upTo} is damaged or missing
     */
    public int read(int limit, long upTo, RecordVisitor visitor) {
        int handed = 0;
        try {
            while (handed < limit && next <= upTo) {
                LogRecord record = nextRecord(true);
                visitor.visit(record);
                handed++;
            }
        } catch (IOException e) {
            throw new EventLogException("cannot read event log in " + dir + ": " + e, e);
        }
        return handed;
    }

    /** @return the sequence of the next record {@link #read} hands */
    public long next() {
        return next;
    }

    @Override
    public void close() {
        closeSegment();
    }

    /** @return the next record, its bytes checked when {@code wanted}; otherwise its body is skipped */
    private LogRecord nextRecord(boolean wanted) throws IOException {
        if (in == null) {
            openSegmentHolding(next);
        }
        byte[] header = new byte[LogFormat.HEADER_BYTES];
        if (!readFully(header)) {
            // This segment ends here: the record is the first of the next one.
            openSegmentHolding(next);
            if (!readFully(header)) {
                throw damaged("segment " + file.getFileName() + " holds no record " + next);
            }
        }
        ByteBuffer head = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        long length = head.getInt(LogFormat.LENGTH_OFFSET) & 0xFFFF_FFFFL;
        long sequence = head.getLong(LogFormat.SEQUENCE_OFFSET);
        if (length > LogFormat.MAX_BODY_BYTES || sequence != next) {
            throw damaged("record header of sequence " + sequence + " with body length " + length + " (expected:"
                    + " sequence " + next + ")");
        }
        long at = offset;
        if (!wanted) {
            in.skipNBytes(length);
            offset += LogFormat.HEADER_BYTES + length;
            next++;
            return null;
        }
        ByteBuffer whole = ByteBuffer.allocate(LogFormat.HEADER_BYTES + (int) length).order(ByteOrder.BIG_ENDIAN)
                .put(header);
        in.readFully(whole.array(), LogFormat.HEADER_BYTES, (int) length);
        if (head.getInt(LogFormat.CRC_OFFSET) != LogFormat.checksum(whole, 0, (int) length)) {
            throw damaged("checksum mismatch in record " + sequence);
        }
        offset += LogFormat.HEADER_BYTES + length;
        next++;
        byte[] body = new byte[(int) length];
        System.arraycopy(whole.array(), LogFormat.HEADER_BYTES, body, 0, (int) length);
        return new LogRecord(sequence, head.getLong(LogFormat.TIMESTAMP_OFFSET),
                head.getShort(LogFormat.TYPE_OFFSET) & 0xFFFF, body, file, at);
    }

    /** Opens the segment whose records include {@code sequence}, positioned at that record. */
    private void openSegmentHolding(long sequence) throws IOException {
        closeSegment();
        List<Path> segments = LogScan.segments(dir);
        Path holding = null;
        for (Path segment : segments) {
            if (LogFormat.firstSequenceOf(segment) <= sequence) {
                holding = segment;
            }
        }
        if (holding == null) {
            throw new EventLogCorruptedException(dir, 0, "no segment holds record " + sequence);
        }
        file = holding;
        InputStream stream = Files.newInputStream(holding);
        in = new DataInputStream(new BufferedInputStream(stream, READ_BUFFER_BYTES));
        byte[] magic = new byte[LogFormat.MAGIC.length];
        if (!readFully(magic) || !Arrays.equals(magic, LogFormat.MAGIC)) {
            throw damaged("segment header is not SLBLOG version 1");
        }
        offset = LogFormat.MAGIC.length;
        long wantedNext = sequence;
        next = LogFormat.firstSequenceOf(holding);
        while (next < wantedNext) {
            nextRecord(false);
        }
    }

    /** @return false when the segment ends before the first byte; a record cut short is damage */
    private boolean readFully(byte[] bytes) throws IOException {
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read == 0) {
            return false;
        }
        if (read < bytes.length) {
            throw damaged("record cut short (" + read + " of " + bytes.length + " bytes)");
        }
        return true;
    }

    private EventLogCorruptedException damaged(String reason) {
        return new EventLogCorruptedException(file, offset, reason);
    }

    private void closeSegment() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Read-only: nothing is lost by a failing close.
            }
            in = null;
        }
    }
}
