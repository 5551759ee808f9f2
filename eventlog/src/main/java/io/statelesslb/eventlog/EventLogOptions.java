package io.statelesslb.eventlog;

/**
 * How an event log is opened.
 *
 * @param segmentBytes a segment is closed and a new one started once it holds this many bytes
 * @param repair       truncate at a corrupt record (dropping everything after it) instead of refusing to start
 */
public record EventLogOptions(long segmentBytes, boolean repair) {

    /** 64 MiB segments, no repair. */
    public static final EventLogOptions DEFAULTS = new EventLogOptions(64L * 1024 * 1024, false);

    public EventLogOptions {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes=" + segmentBytes + " (expected: >= 1024)");
        }
    }

    /** @return these options with repair on or off */
    public EventLogOptions withRepair(boolean repair) {
        return new EventLogOptions(segmentBytes, repair);
    }
}
