package io.statelesslb.eventlog.stream;

/** An event stream cannot be used as asked: a damaged or missing record, a snapshot that cannot be kept. */
public class EventStreamException extends RuntimeException {

    public EventStreamException(String message) {
        super(message);
    }

    public EventStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
