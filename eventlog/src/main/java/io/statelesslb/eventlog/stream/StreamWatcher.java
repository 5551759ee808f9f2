package io.statelesslb.eventlog.stream;

/** Receives the records of a stream in sequence order, each once. */
@FunctionalInterface
public interface StreamWatcher {

    /** @param record the next record */
    void record(StreamRecord record);

    /** The watch cannot go on (a damaged record); it has stopped. Unreachable stores are retried, not reported. */
    default void failed(Throwable cause) {
    }
}
