package io.statelesslb.eventlog.stream;

import io.statelesslb.domain.event.RecordedEvent;
import java.util.List;
import java.util.function.Function;

/** The answer to an append: written at the next sequences, or refused because the stream had moved on. */
public sealed interface Appended {

    /** Handles both answers, so that a caller cannot forget one. */
    <R> R fold(Function<? super Written, ? extends R> written, Function<? super Conflict, ? extends R> conflict);

    /**
     * The records are durable.
     *
     * @param recorded     the events with their sequences, time and sources, in order
     * @param fingerprints each record's {@link StreamRecord#fingerprint() fingerprint}, for a snapshot after it
     */
    record Written(List<RecordedEvent> recorded, List<Long> fingerprints) implements Appended {

        public Written {
            recorded = List.copyOf(recorded);
            fingerprints = List.copyOf(fingerprints);
        }

        @Override
        public <R> R fold(Function<? super Written, ? extends R> written,
                          Function<? super Conflict, ? extends R> conflict) {
            return written.apply(this);
        }
    }

    /**
     * Another writer appended first: nothing was written.
     *
     * @param expected the last sequence the append was decided against
     * @param last     the stream's last sequence when it was refused (at least {@code expected + 1}, or below
     *                 {@code expected} for an append that looked too far ahead)
     */
    record Conflict(long expected, long last) implements Appended {

        @Override
        public <R> R fold(Function<? super Written, ? extends R> written,
                          Function<? super Conflict, ? extends R> conflict) {
            return conflict.apply(this);
        }
    }
}
