package io.statelesslb.eventlog.stream;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.RecordedEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.zip.CRC32C;

/** One record of an event stream as stored: its sequence, time, type code and body, and where it was found. */
public interface StreamRecord {

    long sequence();

    long timestampMillis();

    /** @return the {@link io.statelesslb.api.codec.EventType} code with its flags */
    int type();

    byte[] body();

    /**
     * @return the event the record holds, who asked for it and the instance it belongs to
     * @throws RuntimeException of the store's kind, naming where the record is, when its bytes do not decode
     */
    EventCodec.Stored stored();

    /** @return the record as the controller reads it */
    default RecordedEvent recorded() {
        EventCodec.Stored stored = stored();
        return new RecordedEvent(sequence(), Instant.ofEpochMilli(timestampMillis()), stored.event(), stored.source(),
                stored.instance());
    }

    /** @return this record's {@link #fingerprint(long, long, int, byte[]) fingerprint} */
    default long fingerprint() {
        return fingerprint(sequence(), timestampMillis(), type(), body());
    }

    /**
     * What a snapshot remembers of the record it follows, so that it is used only on the history it was taken from:
     * a log cut and written again holds other records at the same sequences.
     *
     * @return a CRC32C of the record's sequence, time, type and body
     */
    static long fingerprint(long sequence, long timestampMillis, int type, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(20).putLong(sequence).putLong(timestampMillis).putInt(type).flip());
        crc.update(body);
        return crc.getValue();
    }
}
