package io.statelesslb.eventlog;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** One intact record read from the log, with where it was found (for errors that name file and offset). */
public record LogRecord(long sequence, long timestampMillis, int type, byte[] body, Path file, long offset) {

    /** @return this record's {@link #fingerprint(long, long, int, byte[]) fingerprint} */
    public long fingerprint() {
        return fingerprint(sequence, timestampMillis, type, body);
    }

    /**
     * What a snapshot remembers of the record it follows, so that it is used only on the history it was taken from:
     * a log cut and written again holds other records at the same sequences.
     *
     * @return a CRC32C of the record's sequence, time, type and body
     */
    public static long fingerprint(long sequence, long timestampMillis, int type, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(20).putLong(sequence).putLong(timestampMillis).putInt(type).flip());
        crc.update(body);
        return crc.getValue();
    }
}
