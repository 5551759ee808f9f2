package io.statelesslb.eventlog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of the event log. A segment file, named after the sequence of its first record
 * ({@code 00000000000000000001.log}), starts with an 8-byte magic and holds records back to back. All integers
 * are big-endian.
 * <pre>
 *  segment:  "SLBLOG" 0x00 0x01 | record | record | ...
 *
 *  record:   0               4               8                               16
 *            +---------------+---------------+-------------------------------+
 *            | body length   | CRC32C        | sequence                      |
 *            +---------------+---------------+-------------------------------+
 *            | timestamp (epoch ms)          | type  | body (JSON, length bytes) ...
 *            +-------------------------------+-------+-----------------------
 *            16                              24      26
 * </pre>
 * The CRC32C covers the body length and everything from the sequence to the end of the body, so a record with
 * any changed bit, or cut short, never passes. The type is the event type's code; with the flag 0x4000
 * ({@code EventCodec.WITH_SOURCE}) the body is {@code {"source": ..., "event": {...}}}, who asked for the change and
 * the event, else the event alone (as every record written before sources were kept).
 */
final class LogFormat {

    static final byte[] MAGIC = "SLBLOG\0\1".getBytes(StandardCharsets.ISO_8859_1);
    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int TIMESTAMP_OFFSET = 16;
    static final int TYPE_OFFSET = 24;
    static final int HEADER_BYTES = 26;

    /** Largest body accepted; a length field above it is damage, checked before anything is allocated. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    static final String SEGMENT_SUFFIX = ".log";

    private LogFormat() {
    }

    static String segmentName(long firstSequence) {
        return String.format("%020d%s", firstSequence, SEGMENT_SUFFIX);
    }

    /** @return the first sequence a segment file is named after, or -1 when the name is not a segment's */
    static long firstSequenceOf(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** @return the CRC32C of the record whose header starts at {@code offset} in {@code bytes} */
    static int checksum(ByteBuffer bytes, int offset, int bodyLength) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().position(offset + LENGTH_OFFSET).limit(offset + LENGTH_OFFSET + 4));
        crc.update(bytes.duplicate().position(offset + SEQUENCE_OFFSET).limit(offset + HEADER_BYTES + bodyLength));
        return (int) crc.getValue();
    }

    /** Writes one record at the buffer's position, advancing it. */
    static void write(ByteBuffer buffer, long sequence, long timestampMillis, int type, byte[] body) {
        int start = buffer.position();
        buffer.order(ByteOrder.BIG_ENDIAN);
        buffer.putInt(start + LENGTH_OFFSET, body.length);
        buffer.putLong(start + SEQUENCE_OFFSET, sequence);
        buffer.putLong(start + TIMESTAMP_OFFSET, timestampMillis);
        buffer.putShort(start + TYPE_OFFSET, (short) type);
        buffer.put(start + HEADER_BYTES, body);
        buffer.putInt(start + CRC_OFFSET, checksum(buffer, start, body.length));
        buffer.position(start + HEADER_BYTES + body.length);
    }
}
