package io.statelesslb.eventlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every segment of a log directory in order, hands intact records to a visitor, and classifies where the
 * intact part ends, as etcd does: damage after which no intact record follows in the last segment is a torn
 * write (a crash mid-append); damage with an intact record after it, or in an earlier segment, is corruption.
 * Reads only; what to do about the end is the caller's choice.
 */
final class LogScan {

    /** How the intact part of the log ends. */
    sealed interface End {
    }

    /** Every byte of every segment belongs to an intact record. */
    record Clean() implements End {
    }

    /** The last segment ends in damage and nothing intact follows it: a torn write to truncate. */
    record Torn(Path file, long offset, long bytesDropped, String reason) implements End {
    }

    /**
     * Damage followed by intact data, or in an earlier segment: refuse, or repair only when told to. A repair
     * truncates at {@code offset}, except for two cases where that would not converge or would lose good records:
     * a segment whose name is not the next sequence (an earlier one was lost or cut short) is deleted whole, with
     * every later one; a segment whose header alone is damaged gets its header back and keeps its records.
     */
    record Corrupt(Path file, long offset, String reason, long bytesDropped, Damage damage) implements End {
    }

    /** What a repair does about corruption. */
    enum Damage {
        /** Truncate at the offset: the record there and everything after it go. */
        RECORD,
        /** The segment is named for another sequence: it goes whole, with every later segment. */
        MISNAMED_SEGMENT,
        /** Only the segment's header is damaged: write it again, the records after it are intact. */
        HEADER
    }

    record Result(List<Path> segments, long records, long lastSequence, End end) {
    }

    private LogScan() {
    }

    static List<Path> segments(Path dir) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(file -> LogFormat.firstSequenceOf(file) > 0).sorted().forEach(segments::add);
        }
        return segments;
    }

    /**
     * @param dir          the log directory
     * @param replayAfter  records with a sequence up to this one are checked but not handed to the visitor
     * @param visitor      receives the intact records after {@code replayAfter}
     */
    static Result scan(Path dir, long replayAfter, RecordVisitor visitor) throws IOException {
        List<Path> segments = segments(dir);
        long expected = 1;
        long records = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path file = segments.get(i);
            boolean last = i == segments.size() - 1;
            long named = LogFormat.firstSequenceOf(file);
            byte[] bytes = Files.readAllBytes(file);
            if (named != expected) {
                return new Result(segments, records, expected - 1, new Corrupt(file, 0, "segment named for sequence "
                        + named + " (expected: " + expected + "; a segment before it is missing or cut short)",
                        remaining(segments, i, 0), Damage.MISNAMED_SEGMENT));
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
            int position = 0;
            String damage = magicDamage(bytes);
            if (damage != null && bytes.length > LogFormat.MAGIC.length
                    && recordDamage(buffer, LogFormat.MAGIC.length, expected) == null) {
                return new Result(segments, records, expected - 1, new Corrupt(file, 0, damage + " (the records"
                        + " after it are intact)", remaining(segments, i, 0), Damage.HEADER));
            }
            if (damage == null) {
                position = LogFormat.MAGIC.length;
                while (position < bytes.length) {
                    damage = recordDamage(buffer, position, expected);
                    if (damage != null) {
                        break;
                    }
                    int length = buffer.getInt(position + LogFormat.LENGTH_OFFSET);
                    if (expected > replayAfter) {
                        byte[] body = Arrays.copyOfRange(bytes, position + LogFormat.HEADER_BYTES,
                                position + LogFormat.HEADER_BYTES + length);
                        try {
                            visitor.visit(new LogRecord(expected, buffer.getLong(position
                                    + LogFormat.TIMESTAMP_OFFSET), buffer.getShort(position + LogFormat.TYPE_OFFSET)
                                    & 0xFFFF, body, file, position));
                        } catch (EventLogCorruptedException unusable) {
                            // Intact bytes that do not decode (a newer version's type, a body that is not JSON)
                            // are corruption too: found, named and repaired as any other.
                            return new Result(segments, records, expected - 1, new Corrupt(file, position,
                                    unusable.reason(), remaining(segments, i, position), Damage.RECORD));
                        }
                    }
                    position += LogFormat.HEADER_BYTES + length;
                    expected++;
                    records++;
                }
            }
            if (damage != null) {
                long dropped = remaining(segments, i, position);
                // A crash tears a record's bytes; it never writes an intact record with the wrong sequence.
                boolean sequenceBreak = damage.startsWith("sequence ");
                End end = last && !sequenceBreak && !intactRecordAfter(buffer, position + 1)
                        ? new Torn(file, position, dropped, damage)
                        : new Corrupt(file, position, damage, dropped, Damage.RECORD);
                return new Result(segments, records, expected - 1, end);
            }
        }
        return new Result(segments, records, expected - 1, new Clean());
    }

    /** @return whether {@code file}'s header is damaged while the first record after it is intact */
    static boolean onlyHeaderDamaged(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return magicDamage(bytes) != null && bytes.length > LogFormat.MAGIC.length && recordDamage(ByteBuffer.wrap(
                bytes).order(ByteOrder.BIG_ENDIAN), LogFormat.MAGIC.length, LogFormat.firstSequenceOf(file)) == null;
    }

    private static String magicDamage(byte[] bytes) {
        if (bytes.length < LogFormat.MAGIC.length) {
            return "segment header cut short (" + bytes.length + " of " + LogFormat.MAGIC.length + " bytes)";
        }
        return Arrays.equals(bytes, 0, LogFormat.MAGIC.length, LogFormat.MAGIC, 0, LogFormat.MAGIC.length)
                ? null : "segment header is not SLBLOG version 1";
    }

    /** @return why the record at {@code position} is not intact, or null when it is */
    private static String recordDamage(ByteBuffer buffer, int position, long expected) {
        int left = buffer.limit() - position;
        if (left < LogFormat.HEADER_BYTES) {
            return allZero(buffer, position) ? "zero-filled tail"
                    : "record header cut short (" + left + " of " + LogFormat.HEADER_BYTES + " bytes)";
        }
        long length = buffer.getInt(position + LogFormat.LENGTH_OFFSET) & 0xFFFF_FFFFL;
        if (length > LogFormat.MAX_BODY_BYTES) {
            return "body length " + length + " exceeds the limit of " + LogFormat.MAX_BODY_BYTES + " bytes";
        }
        if (length > left - LogFormat.HEADER_BYTES) {
            return allZero(buffer, position) ? "zero-filled tail"
                    : "record cut short (body length " + length + ", " + (left - LogFormat.HEADER_BYTES)
                            + " bytes left)";
        }
        int stored = buffer.getInt(position + LogFormat.CRC_OFFSET);
        int computed = LogFormat.checksum(buffer, position, (int) length);
        if (stored != computed) {
            return allZero(buffer, position) ? "zero-filled tail" : String.format(
                    "checksum mismatch (stored %08x, computed %08x)", stored, computed);
        }
        long sequence = buffer.getLong(position + LogFormat.SEQUENCE_OFFSET);
        if (sequence != expected) {
            return "sequence " + sequence + " (expected: " + expected + ")";
        }
        return null;
    }

    /** Damage in the last segment is a torn write only if no intact record starts anywhere after it. */
    private static boolean intactRecordAfter(ByteBuffer buffer, int from) {
        for (int position = Math.max(from, LogFormat.MAGIC.length); position + LogFormat.HEADER_BYTES <= buffer.limit();
             position++) {
            long length = buffer.getInt(position + LogFormat.LENGTH_OFFSET) & 0xFFFF_FFFFL;
            if (length <= buffer.limit() - position - LogFormat.HEADER_BYTES
                    && !allZero(buffer, position, LogFormat.HEADER_BYTES)
                    && buffer.getInt(position + LogFormat.CRC_OFFSET)
                    == LogFormat.checksum(buffer, position, (int) length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allZero(ByteBuffer buffer, int from) {
        return allZero(buffer, from, buffer.limit() - from);
    }

    private static boolean allZero(ByteBuffer buffer, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the bytes from {@code position} of segment {@code index} to the end of the log */
    private static long remaining(List<Path> segments, int index, long position) throws IOException {
        long bytes = Files.size(segments.get(index)) - position;
        for (int i = index + 1; i < segments.size(); i++) {
            bytes += Files.size(segments.get(i));
        }
        return bytes;
    }
}
