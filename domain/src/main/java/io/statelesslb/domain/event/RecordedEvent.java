package io.statelesslb.domain.event;

import java.time.Instant;

/**
 * An event as the log holds it: its sequence number (1, 2, 3, … without gaps) and the time it was appended,
 * taken from the log's injected clock.
 */
public record RecordedEvent(long sequence, Instant timestamp, Event event) {

    public RecordedEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence=" + sequence + " (expected: >= 1)");
        }
        if (timestamp == null || event == null) {
            throw new IllegalArgumentException("timestamp and event are required (got "
                    + timestamp + ", " + event + ")");
        }
    }
}
