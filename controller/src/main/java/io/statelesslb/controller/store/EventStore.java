package io.statelesslb.controller.store;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.controller.replay.Replay;
import io.statelesslb.controller.replay.ReplayProgress;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.state.State;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogCorruptedException;
import io.statelesslb.eventlog.EventLogException;
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
        Optional<SnapshotCodec.Snapshot> snapshot = loadSnapshot(snapshots, Long.MAX_VALUE, warnings);
        long after = snapshot.map(SnapshotCodec.Snapshot::sequence).orElse(0L);
        Replay replay = new Replay(snapshot.map(SnapshotCodec.Snapshot::state).orElse(State.empty()), after,
                Long.MAX_VALUE, null);
        Replay replaying = replay;
        ReplayProgress progress = new ReplayProgress(line -> LOG.info("replaying the event log: {}", line), dir);
        EventLog log = EventLog.open(dir, options.log(), clock, after, record -> {
            replaying.accept(record);
            progress.update(record);
        });
        progress.done();
        if (log.lastSequence() < after) {
            // The log was cut (repaired) behind the snapshot: the snapshot describes events that are gone.
            warnings.add("snapshot at sequence " + after + " is ahead of the log (last sequence " + log.lastSequence()
                    + "); replaying the whole log instead");
            replay = new Replay(Long.MAX_VALUE, null);
            after = 0;
            EventLog.read(dir, replay::accept);
        }
        return new EventStore(log, snapshots, options.snapshotEvery(), replay.state(), log.lastSequence(), after,
                warnings);
    }

    private static Optional<SnapshotCodec.Snapshot> loadSnapshot(SnapshotStore snapshots, long atMost,
                                                                 List<String> warnings) {
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
            return Optional.of(decoded);
        } catch (IOException | CodecException e) {
            warnings.add("snapshot unusable (" + e.getMessage() + "); replaying the whole log");
            return Optional.empty();
        }
    }

    /**
     * Decides {@code command} against the state and, when it is accepted, appends its event durably and evolves.
     *
     * @return completes with {@link Submission.Recorded} after the fsync, or at once with
     *         {@link Submission.Rejected}; fails when the log has stopped accepting writes
     */
    @Override
    public synchronized CompletableFuture<Submission> submit(Command command) {
        return Decider.decide(tentative, command).fold(
                problems -> CompletableFuture.completedFuture(new Submission.Rejected(problems)),
                this::record);
    }

    private CompletableFuture<Submission> record(Event event) {
        State next = tentative.evolve(event);
        tentative = next;
        // The writer completes appends in sequence order, on its own thread, so the committed state advances in order.
        return log.append(event).thenApply(recorded -> {
            committed = next;
            committedSequence = recorded.sequence();
            if (snapshotEvery > 0 && recorded.sequence() % snapshotEvery == 0) {
                long sequence = recorded.sequence();
                snapshotWriter.execute(() -> writeSnapshot(sequence, next));
            }
            return new Submission.Recorded(recorded, next);
        });
    }

    private void writeSnapshot(long sequence, State state) {
        try {
            snapshots.save(sequence, SnapshotCodec.encode(sequence, state));
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
