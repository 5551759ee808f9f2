package io.statelesslb.eventlog;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.Event;
import io.statelesslb.eventlog.stream.StreamRecord;
import java.nio.file.Path;

/** One intact record read from the log, with where it was found (for errors that name file and offset). */
public record LogRecord(long sequence, long timestampMillis, int type, byte[] body, Path file, long offset)
        implements StreamRecord {

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
    @Override
    public EventCodec.Stored stored() {
        try {
            return EventCodec.decodeRecord(type, body);
        } catch (CodecException e) {
            throw new EventLogCorruptedException(file, offset, "record " + sequence + " does not decode: "
                    + e.getMessage());
        }
    }
}
