package io.statelesslb.domain.event;

import java.time.Instant;

/**
 * An event as the log holds it: its sequence number (1, 2, 3, … without gaps), the time it was appended, taken
 * from the log's injected clock, and who asked for it ({@code API client 127.0.0.1:53422}, {@code kernel}; null in
 * records written before sources were kept).
 */
public record RecordedEvent(long sequence, Instant timestamp, Event event, String source) {

    /** An event recorded without a source. */
    public RecordedEvent(long sequence, Instant timestamp, Event event) {
        this(sequence, timestamp, event, null);
    }

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
