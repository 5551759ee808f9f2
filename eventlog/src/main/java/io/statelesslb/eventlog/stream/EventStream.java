package io.statelesslb.eventlog.stream;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The durable, ordered event stream of a trench: records numbered 1, 2, 3, … without gaps, appended only while the
 * stream has not moved since the caller decided (optimistic concurrency on the last sequence), read and watched from
 * any sequence, with a snapshot of the folded state beside it. The local WAL is the embedded one; etcd serves a
 * trench of several instances. Both pass the same contract.
 */
public interface EventStream extends AutoCloseable {

    /** @return where the stream is, in the operator's words ({@code local log /var/lib/slb}, {@code etcd …}) */
    String describe();

    /** @return whether other instances may append to this stream too, so that its reader must follow it */
    boolean shared();

    /** @return the sequence of the last record this stream knows to be durable (0 for an empty stream) */
    long lastSequence();

    /**
     * Appends {@code proposals}, all or none, as the records after {@code expectedLast}, if the stream still ends
     * there. Appends made one after another without waiting are tried in that order.
     *
     * @return completes once the records are durable (fsync'd, or committed by a quorum), or with the conflict;
     *         fails with {@link EventStreamUnavailableException} when the stream cannot take writes now (a write
     *         whose answer was lost may still have been made: the stream tells)
     */
    CompletableFuture<Appended> append(long expectedLast, List<Proposal> proposals);

    /** @return a reader of the records after {@code after}, for the history a page at a time */
    StreamReader reader(long after);

    /**
     * Hands the records after {@code after}, in order, up to {@code limit} of them and up to the stream's end when
     * called, to {@code visitor}: one page of the history.
     *
     * @return how many records were handed (0 at the end)
     */
    default int read(long after, int limit, StreamWatcher visitor) {
        try (StreamReader reader = reader(after)) {
            return reader.read(limit, visitor);
        }
    }

    /** Hands every record after {@code after}, up to the stream's end, to {@code visitor}, a page at a time. */
    default void read(long after, StreamWatcher visitor) {
        try (StreamReader reader = reader(after)) {
            while (reader.read(1024, visitor) > 0) {
                // the next page
            }
        }
    }

    /**
     * Hands every record after {@code after} to {@code watcher}, in order and each once, then each new one as it
     * becomes durable, until closed; a stream that becomes unreachable resumes after the last record handed.
     *
     * @return stops the watch
     */
    AutoCloseable watch(long after, StreamWatcher watcher);

    /**
     * @return the newest snapshot at or before {@code atMost}, if one is kept and intact; {@code skipped} is told of
     *         every snapshot passed over, and why
     */
    Optional<StreamSnapshot> latestSnapshot(long atMost, Consumer<String> skipped);

    /**
     * Keeps a snapshot of the state after {@code snapshot.sequence()}. A failure costs start-up time, never data.
     *
     * @throws EventStreamException when it cannot be kept
     */
    void saveSnapshot(StreamSnapshot snapshot);

    /** @return why the stream cannot take writes now, if it cannot (a failed fsync, no etcd quorum) */
    Optional<String> unavailable();

    /** Waits for appends under way, then releases the stream. */
    @Override
    void close();
}
