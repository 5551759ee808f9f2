package io.statelesslb.controller.store;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.controller.replay.Replay;
import io.statelesslb.controller.replay.ReplayProgress;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.state.State;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogCorruptedException;
import io.statelesslb.eventlog.EventLogException;
import io.statelesslb.eventlog.LogRecord;
import io.statelesslb.eventlog.RecoveryReport;
import io.statelesslb.eventlog.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log, the snapshots and the state together: opening loads the newest snapshot and replays the log after
 * it (evolving each event, never deciding again); submitting decides a command against the state, logs its event
 * durably if it is accepted, and evolves the state with it.
 *
 * <p>Commands are decided and their events enqueued under one lock, against the state that includes every event
 * still waiting for its fsync, so the log order is the evolve order and a rejected command never reaches the log.
 */
public final class EventStore implements EventJournal, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

    private final EventLog log;
    private final SnapshotStore snapshots;
    private final int snapshotEvery;
    private final ExecutorService snapshotWriter;
    private final List<String> warnings;
    private final long snapshotSequence;

    private State tentative;
    /** The sequence of the last event appended to the tentative state, once it is durable. */
    private CompletableFuture<Long> tentativeSequence;
    private volatile State committed;
    private volatile long committedSequence;

    private EventStore(EventLog log, SnapshotStore snapshots, int snapshotEvery, State state, long sequence,
                       long snapshotSequence, List<String> warnings) {
        this.log = log;
        this.snapshots = snapshots;
        this.snapshotEvery = snapshotEvery;
        this.tentative = state;
        this.committed = state;
        this.committedSequence = sequence;
        this.tentativeSequence = CompletableFuture.completedFuture(sequence);
        this.snapshotSequence = snapshotSequence;
        this.warnings = List.copyOf(warnings);
        this.snapshotWriter = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "snapshot-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the store in {@code dir}: the newest intact snapshot, then the log after it.
     *
     * @throws EventLogCorruptedException when the log is corrupt before its tail (and repair is off), or holds an
     *                                    event that does not decode
     * @throws EventLogException          when the directory cannot be used
     */
    public static EventStore open(Path dir, EventStoreOptions options, Clock clock) {
        SnapshotStore snapshots = new SnapshotStore(dir);
        List<String> warnings = new ArrayList<>();
        Optional<Bound> snapshot = loadSnapshot(snapshots, Long.MAX_VALUE, warnings);
        long after = snapshot.map(bound -> bound.snapshot().sequence()).orElse(0L);
        Replay replay = new Replay(snapshot.map(bound -> bound.snapshot().state()).orElse(State.empty()), after,
                Long.MAX_VALUE, null);
        Replay replaying = replay;
        // The record the snapshot follows is read too: the snapshot is used only if it is the very same record.
        long[] followed = {-1};
        long bindingSequence = after;
        ReplayProgress progress = new ReplayProgress(line -> LOG.info("replaying the event log: {}", line), dir);
        EventLog log = EventLog.open(dir, options.log(), clock, Math.max(0, after - 1), record -> {
            if (record.sequence() == bindingSequence) {
                followed[0] = record.fingerprint();
                return;
            }
            replaying.accept(record);
            progress.update(record);
        });
        progress.done();
        if (snapshot.isPresent() && followed[0] != snapshot.get().follows()) {
            // The log was cut (repaired) behind the snapshot, or cut and written again: the snapshot describes a
            // history that is gone, and so do the older ones taken with it. They are removed before anything is
            // appended, so that none is found again once the log grows past it; the next one is written anew.
            SnapshotStore.StoredSnapshot stale = snapshot.get().stored();
            warnings.add("snapshot " + stale.file().getFileName() + " (sequence " + after + ") does not follow the"
                    + " log's history (" + (log.lastSequence() < after ? "the log ends at sequence "
                    + log.lastSequence() : "another record is at sequence " + after) + "): every snapshot removed,"
                    + " replaying the whole log instead");
            try {
                snapshots.removeAfter(0);
            } catch (IOException e) {
                log.close();
                throw new EventLogException("the snapshot " + stale.file() + " of another history cannot be removed"
                        + " (" + e.getMessage() + "; expected: remove it by hand)", e);
            }
            replay = new Replay(Long.MAX_VALUE, null);
            after = 0;
            EventLog.read(dir, replay::accept);
        }
        try {
            snapshots.removeAfter(log.lastSequence()).forEach(removed -> warnings.add("snapshot "
                    + removed.getFileName() + " is ahead of the log (last sequence " + log.lastSequence()
                    + "): removed"));
        } catch (IOException e) {
            log.close();
            throw new EventLogException("snapshots ahead of the log cannot be removed (" + e.getMessage()
                    + "; expected: remove them by hand)", e);
        }
        return new EventStore(log, snapshots, options.snapshotEvery(), replay.state(), log.lastSequence(), after,
                warnings);
    }

    /** A snapshot, with the fingerprint of the record it follows. */
    private record Bound(SnapshotCodec.Snapshot snapshot, long follows, SnapshotStore.StoredSnapshot stored) {
    }

    private static Optional<Bound> loadSnapshot(SnapshotStore snapshots, long atMost, List<String> warnings) {
        try {
            Optional<SnapshotStore.StoredSnapshot> stored = snapshots.latest(atMost, warnings::add);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            SnapshotCodec.Snapshot decoded = SnapshotCodec.decode(stored.get().body());
            if (decoded.sequence() != stored.get().sequence()) {
                warnings.add(stored.get().file() + " holds sequence " + decoded.sequence() + "; ignored");
                return Optional.empty();
            }
            return Optional.of(new Bound(decoded, stored.get().follows(), stored.get()));
        } catch (IOException | CodecException e) {
            warnings.add("snapshot unusable (" + e.getMessage() + "); replaying the whole log");
            return Optional.empty();
        }
    }

    /**
     * Decides {@code command} against the state and, when it is accepted, appends its event durably and evolves. An
     * operator's command whose event would leave the state as it is (a definition given again, a target enabled
     * twice) is not recorded: the log holds changes, and a retried or repeated request makes none.
     *
     * @return completes with {@link Submission.Recorded} after the fsync, with {@link Submission.Unchanged} once
     *         the state it was decided against is durable, or at once with {@link Submission.Rejected}; fails when
     *         the log has stopped accepting writes
     */
    @Override
    public synchronized CompletableFuture<Submission> submit(Command command, String source) {
        return Decider.decide(tentative, command).fold(
                problems -> CompletableFuture.completedFuture(new Submission.Rejected(problems)),
                event -> {
                    // Evolve returns the very state when an event changes nothing (as configuration diffs use too):
                    // no deep comparison of a large state per change.
                    State next = tentative.evolve(event);
                    return !(command instanceof ObservationCommand) && next == tentative ? unchanged(event)
                            : record(event, next, source);
                });
    }

    private CompletableFuture<Submission> unchanged(Event event) {
        State state = tentative;
        return tentativeSequence.thenApply(sequence -> new Submission.Unchanged(sequence, event, state));
    }

    private CompletableFuture<Submission> record(Event event, State next, String source) {
        tentative = next;
        // The writer completes appends in sequence order, on its own thread, so the committed state advances in order.
        CompletableFuture<Submission> recorded = log.append(event, source).thenApply(appended -> {
            committed = next;
            committedSequence = appended.sequence();
            if (snapshotEvery > 0 && appended.sequence() % snapshotEvery == 0) {
                long sequence = appended.sequence();
                // The record as written, its source included: what the snapshot's next start compares it with.
                long follows = LogRecord.fingerprint(sequence, appended.timestamp().toEpochMilli(),
                        EventCodec.recordType(event, source), EventCodec.recordBody(event, source));
                snapshotWriter.execute(() -> writeSnapshot(sequence, follows, next));
            }
            return new Submission.Recorded(appended, next);
        });
        tentativeSequence = recorded.thenApply(submission -> ((Submission.Recorded) submission).event().sequence());
        return recorded;
    }

    private void writeSnapshot(long sequence, long follows, State state) {
        try {
            snapshots.save(sequence, follows, SnapshotCodec.encode(sequence, state));
        } catch (IOException e) {
            // A missing snapshot costs start-up time, never data: the log has every event.
            LOG.warn("snapshot at sequence {} not written: {}", sequence, e.toString());
        }
    }

    /** @return the state after every acknowledged event */
    public State state() {
        return committed;
    }

    /** @return the sequence of the last acknowledged event (0 for an empty log) */
    public long sequence() {
        return committedSequence;
    }

    /** @return the sequence of the snapshot the store started from (0 when it replayed the whole log) */
    public long snapshotSequence() {
        return snapshotSequence;
    }

    /** @return why the log stopped accepting writes (a failed write or fsync), if it has */
    public Optional<Throwable> failure() {
        return log.failure();
    }

    /** @return what opening the log found and did */
    public RecoveryReport recovery() {
        return log.recovery();
    }

    /** @return snapshots skipped while opening, and why */
    public List<String> warnings() {
        return warnings;
    }

    /** Waits for pending appends and the snapshot being written, then closes the log. */
    @Override
    public void close() {
        log.close();
        snapshotWriter.shutdown();
        try {
            snapshotWriter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
