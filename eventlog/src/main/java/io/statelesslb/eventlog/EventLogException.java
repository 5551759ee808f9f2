package io.statelesslb.eventlog;

/** The log cannot be used: its directory is unusable, locked by another process, or a write or fsync failed. */
public class EventLogException extends RuntimeException {

    public EventLogException(String message) {
        super(message);
    }

    public EventLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
