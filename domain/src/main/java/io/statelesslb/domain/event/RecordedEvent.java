package io.statelesslb.domain.event;

import java.time.Instant;

/**
 * An event as the log holds it: its sequence number (1, 2, 3, … without gaps), the time it was appended, taken
 * from the log's injected clock, who asked for it ({@code API client 127.0.0.1:53422}, {@code kernel}; null in
 * records written before sources were kept), and, in a stream several instances share, the instance whose own
 * observation it is (null for a fact of the whole trench: every instance folds it).
 */
public record RecordedEvent(long sequence, Instant timestamp, Event event, String source, String instance) {

    /** An event recorded without a source. */
    public RecordedEvent(long sequence, Instant timestamp, Event event) {
        this(sequence, timestamp, event, null, null);
    }

    /** A fact of the whole trench. */
    public RecordedEvent(long sequence, Instant timestamp, Event event, String source) {
        this(sequence, timestamp, event, source, null);
    }

    /**
     * @return whether the instance named {@code instance} folds this event into its state: a trench-wide fact, or
     *         its own observation (an instance's view of its machine is not another's)
     */
    public boolean foldedBy(String instance) {
        return this.instance == null || this.instance.equals(instance);
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
