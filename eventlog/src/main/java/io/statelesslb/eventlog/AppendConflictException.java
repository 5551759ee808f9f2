package io.statelesslb.eventlog;

/** An append expected the log to end at one sequence and it ended at another: nothing was written. */
public final class AppendConflictException extends EventLogException {

    private final long expected;
    private final long last;

    public AppendConflictException(long expected, long last) {
        super("append expected the log to end at sequence " + expected + ", and it ends at " + last);
        this.expected = expected;
        this.last = last;
    }

    /** @return the last sequence the append was decided against */
    public long expected() {
        return expected;
    }

    /** @return the log's last sequence when the append was refused */
    public long last() {
        return last;
    }
}
