package io.statelesslb.eventlog;

/**
 * How an event log is opened.
 *
 * @param segmentBytes a segment is closed and a new one started once it holds this many bytes
 * @param repair       truncate at a corrupt record (dropping everything after it) instead of refusing to start
 * @param acceptLoss   start even though the log ends before the last sequence acknowledged (a segment lost), and
 *                     make its end the new mark
 */
public record EventLogOptions(long segmentBytes, boolean repair, boolean acceptLoss) {

    /** 64 MiB segments, no repair, no loss accepted. */
    public static final EventLogOptions DEFAULTS = new EventLogOptions(64L * 1024 * 1024, false, false);

    /** Options that accept no loss. */
    public EventLogOptions(long segmentBytes, boolean repair) {
        this(segmentBytes, repair, false);
    }

    public EventLogOptions {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes=" + segmentBytes + " (expected: >= 1024)");
        }
    }

    /** @return these options with repair on or off */
    public EventLogOptions withRepair(boolean repair) {
        return new EventLogOptions(segmentBytes, repair, acceptLoss);
    }

    /** @return these options accepting, or not, a log that ends before what was acknowledged */
    public EventLogOptions withAcceptLoss(boolean acceptLoss) {
        return new EventLogOptions(segmentBytes, repair, acceptLoss);
    }
}
