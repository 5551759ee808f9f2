package io.statelesslb.eventlog.stream;

/**
 * The stream cannot take writes (or be read) now: etcd has no quorum or cannot be reached, or the local log stopped
 * after a failed fsync. Nothing was written; the daemon answers 503 and keeps forwarding with the state it has.
 */
public class EventStreamUnavailableException extends EventStreamException {

    public EventStreamUnavailableException(String message) {
        super(message);
    }

    public EventStreamUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
