package io.statelesslb.eventlog;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.Event;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** One intact record read from the log, with where it was found (for errors that name file and offset). */
public record LogRecord(long sequence, long timestampMillis, int type, byte[] body, Path file, long offset) {

    /**
     * @return the event the record holds
     * @throws EventLogCorruptedException when its intact bytes do not decode (a newer version's type, a body that is
     *                                    not JSON): corruption, found and repaired as any other
     */
    public Event event() {
        return stored().event();
    }

    /**
     * @return the event the record holds and who asked for it (null when the record has no source)
     * @throws EventLogCorruptedException as {@link #event()}
     */
    public EventCodec.Stored stored() {
        try {
            return EventCodec.decodeRecord(type, body);
        } catch (CodecException e) {
            throw new EventLogCorruptedException(file, offset, "record " + sequence + " does not decode: "
                    + e.getMessage());
        }
    }

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
