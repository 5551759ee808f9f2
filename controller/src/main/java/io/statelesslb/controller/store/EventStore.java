package io.statelesslb.controller.store;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.controller.replay.Replay;
import io.statelesslb.controller.replay.ReplayProgress;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.State;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogCorruptedException;
import io.statelesslb.eventlog.EventLogException;
import io.statelesslb.eventlog.LocalEventStream;
import io.statelesslb.eventlog.RecoveryReport;
import io.statelesslb.eventlog.SnapshotStore;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import io.statelesslb.eventlog.stream.Proposal;
import io.statelesslb.eventlog.stream.StreamRecord;
import io.statelesslb.eventlog.stream.StreamSnapshot;
import io.statelesslb.eventlog.stream.StreamWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream, its snapshots and the state together: opening loads the newest snapshot and replays the stream
 * after it (evolving each event, never deciding again); submitting decides a command against the state, appends its
 * event if it is accepted, and evolves the state with it once the event is durable.
 *
 * <p>Commands are decided and their events appended under one lock, against the state that includes every event
 * still waiting to be durable, so the stream's order is the evolve order and a rejected command never reaches it.
 * Each append names the last sequence it was decided against. On a stream several instances share, another instance
 * may have appended first: the append is refused, the store folds what the others wrote and decides the command
 * again (it may now be rejected, or find nothing left to change). What the others write reaches this store through
 * a watch too, and is handed to the {@link Follower}. An instance's own observations of its machine are appended
 * with its name and folded by it alone.
 */
public final class EventStore implements EventJournal, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

    /** At most this many events are appended in one transaction (etcd's default limit is 128 operations). */
    private static final int MAX_BATCH = 64;

    /** Told of every event that reaches the state other than as the answer to this store's own submission. */
    @FunctionalInterface
    public interface Follower {

        /**
         * @param event the event, folded (or, another instance's observation, passed over)
         * @param state the state right after it; called in sequence order, one call at a time, never under the
         *              store's lock
         */
        void followed(RecordedEvent event, State state);
    }

    private final EventStream stream;
    private final String instance;
    private final Optional<RecoveryReport> recovery;
    private final int snapshotEvery;
    private final ExecutorService snapshotWriter;
    private final List<String> warnings;
    private final long snapshotSequence;

    /** On a local log: the state after every append made so far, answered or not, which the next is decided on. */
    private State tentative;
    /** On a local log: the sequence the next append follows. */
    private long tentativeLast;
    /** On a local log: completes once every append made so far has been answered. */
    private CompletableFuture<?> tentativeDone;
    private volatile State committed;
    private volatile long committedSequence;
    /** Records watched from a shared stream, waiting until no append of this store is in flight. */
    private final TreeMap<Long, StreamRecord> watched = new TreeMap<>();
    /** Commands waiting for the batch in flight to be answered, on a shared stream. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Whether a batch is being appended, on a shared stream. */
    private boolean inFlight;
    private volatile Follower follower = (event, state) -> { };
    /**
     * What to tell the follower and this store's own submitters, queued in sequence order under the store's lock
     * and told after it is released, one thread at a time: the follower hands states to the pipeline, whose own
     * lock is held by threads that submit here.
     */
    private final ConcurrentLinkedQueue<Runnable> notices = new ConcurrentLinkedQueue<>();
    /** Notices being told, plus those queued meanwhile: the thread that takes it from 0 tells them all. */
    private final AtomicInteger telling = new AtomicInteger();
    private volatile AutoCloseable watch;
    /** Why the watch stopped, if it did: the state no longer follows the stream. */
    private volatile String followingFailed;

    private EventStore(EventStream stream, String instance, Optional<RecoveryReport> recovery, int snapshotEvery,
                       State state, long sequence, long snapshotSequence, List<String> warnings) {
        this.stream = stream;
        this.instance = instance;
        this.recovery = recovery;
        this.snapshotEvery = snapshotEvery;
        this.tentative = state;
        this.committed = state;
        this.committedSequence = sequence;
        this.tentativeLast = sequence;
        this.tentativeDone = CompletableFuture.completedFuture(null);
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
        return new EventStore(new LocalEventStream(log), null, Optional.of(log.recovery()), options.snapshotEvery(),
                replay.state(), log.lastSequence(), after, warnings);
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
     * Opens the store on a stream several instances of a trench share: this instance's newest snapshot, then the
     * stream after it, folded as {@code instance} folds it; then follows the stream as the others append to it.
     *
     * @param instance the name of this instance, unique in the trench: its observations are appended with it
     * @throws io.statelesslb.eventlog.stream.EventStreamException when the stream cannot be read, or holds a
     *                                                              record that does not decode
     */
    public static EventStore open(EventStream stream, String instance, EventStoreOptions options) {
        List<String> warnings = new ArrayList<>();
        Optional<StreamSnapshot> kept = stream.latestSnapshot(Long.MAX_VALUE, warnings::add);
        Optional<SnapshotCodec.Snapshot> snapshot = kept.flatMap(stored -> decoded(stored, warnings));
        Replay replay = replayAfter(stream, snapshot, kept, instance, warnings);
        if (replay == null) {
            replay = replayAfter(stream, Optional.empty(), Optional.empty(), instance, warnings);
            snapshot = Optional.empty();
        }
        long after = snapshot.map(SnapshotCodec.Snapshot::sequence).orElse(0L);
        EventStore store = new EventStore(stream, instance, Optional.empty(), options.snapshotEvery(), replay.state(),
                replay.sequence(), after, warnings);
        store.watch = stream.watch(replay.sequence(), new StreamWatcher() {
            @Override
            public void record(StreamRecord record) {
                store.watched(record);
            }

            @Override
            public void failed(Throwable cause) {
                store.followingFailed = "the event stream holds a record this instance cannot fold, so it no longer"
                        + " follows the trench: " + cause.getMessage();
            }
        });
        return store;
    }

    private static Optional<SnapshotCodec.Snapshot> decoded(StreamSnapshot stored, List<String> warnings) {
        try {
            SnapshotCodec.Snapshot decoded = SnapshotCodec.decode(stored.body());
            if (decoded.sequence() == stored.sequence()) {
                return Optional.of(decoded);
            }
            warnings.add(stored.where() + " holds sequence " + decoded.sequence() + "; ignored");
        } catch (CodecException e) {
            warnings.add("snapshot " + stored.where() + " unusable (" + e.getMessage() + "); replaying the stream");
        }
        return Optional.empty();
    }

    /**
     * @return the state folded from {@code snapshot} (or from nothing) and the records after it; null when the
     *         stream no longer holds the record the snapshot follows
     */
    private static Replay replayAfter(EventStream stream, Optional<SnapshotCodec.Snapshot> snapshot,
                                      Optional<StreamSnapshot> kept, String instance, List<String> warnings) {
        long after = snapshot.map(SnapshotCodec.Snapshot::sequence).orElse(0L);
        Replay replay = new Replay(snapshot.map(SnapshotCodec.Snapshot::state).orElse(State.empty()), after,
                Long.MAX_VALUE, null, instance);
        boolean[] bound = {after == 0};
        stream.read(Math.max(0, after - 1), record -> {
            if (record.sequence() == after) {
                bound[0] = record.fingerprint() == kept.get().follows();
            } else if (bound[0]) {
                replay.accept(record);
            }
        });
        if (!bound[0]) {
            warnings.add("snapshot " + kept.get().where() + " (sequence " + after + ") does not follow the stream's"
                    + " history: replaying the whole stream instead");
            return null;
        }
        return replay;
    }

    /** Tells {@code follower} of every event that others append from now on. */
    public void follow(Follower follower) {
        this.follower = follower;
    }

    /**
     * Decides {@code command} against the state and, when it is accepted, appends its event durably and evolves. An
     * operator's command whose event would leave the state as it is (a definition given again, a target enabled
     * twice) is not recorded: the log holds changes, and a retried or repeated request makes none.
     *
     * @return completes with {@link Submission.Recorded} once the event is durable, with {@link Submission.Unchanged}
     *         once the state it was decided against is durable, or with {@link Submission.Rejected}; fails when the
     *         stream cannot take writes (nothing was recorded, though a write to etcd whose answer was lost may still
     *         have been: the stream tells, and the store folds it when the watch brings it)
     */
    @Override
    public CompletableFuture<Submission> submit(Command command, String source) {
        if (stream.shared()) {
            CompletableFuture<Submission> answer = new CompletableFuture<>();
            synchronized (this) {
                waiting.add(new Waiting(command, source, answer));
            }
            nextBatch();
            return answer;
        }
        return pipelined(command, source);
    }

    /**
     * On a stream of its own the store appends each event as it is decided, without waiting for the ones before it:
     * no other writer can come between them, and the log commits them as one group.
     */
    private synchronized CompletableFuture<Submission> pipelined(Command command, String source) {
        return Decider.decide(tentative, command).fold(
                problems -> CompletableFuture.completedFuture(new Submission.Rejected(problems)),
                event -> {
                    // Evolve returns the very state when an event changes nothing (as configuration diffs use too):
                    // no deep comparison of a large state per change.
                    State next = tentative.evolve(event);
                    if (!(command instanceof ObservationCommand) && next == tentative) {
                        State state = tentative;
                        long sequence = tentativeLast;
                        return tentativeDone.handle((done, error) -> new Submission.Unchanged(sequence, event, state));
                    }
                    long expected = tentativeLast;
                    tentative = next;
                    tentativeLast = expected + 1;
                    CompletableFuture<Submission> answer = stream.append(expected,
                            List.of(new Proposal(event, source, null))).thenApply(appended -> appended.fold(
                                    written -> {
                                        RecordedEvent recorded = written.recorded().get(0);
                                        advance(recorded.sequence(), next, written.fingerprints().get(0));
                                        return new Submission.Recorded(recorded, next);
                                    },
                                    conflict -> {
                                        throw new IllegalStateException("the local log " + stream.describe()
                                                + " ends at sequence " + conflict.last() + ", not "
                                                + conflict.expected() + ": is another process writing to it?");
                                    }));
                    tentativeDone = answer;
                    return answer;
                });
    }

    /** A command waiting for its turn in a batch, on a shared stream. */
    private record Waiting(Command command, String source, CompletableFuture<Submission> answer) {
    }

    /** A command decided in a batch: its event and the state after it, or nothing to record. */
    private record Decided(Waiting waiting, Event event, State state, boolean unchanged) {
    }

    /**
     * On a shared stream, the waiting commands are decided together against the state that includes every record
     * the stream has given this store, and their events appended as one transaction that holds only if the stream
     * has not moved since: one batch at a time, so that no decision rests on an event that may still be refused.
     */
    private void nextBatch() {
        List<Runnable> answers = new ArrayList<>();
        List<Decided> batch = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        long expected;
        synchronized (this) {
            if (inFlight || waiting.isEmpty()) {
                return;
            }
            State state = committed;
            while (!waiting.isEmpty() && proposals.size() < MAX_BATCH) {
                Waiting next = waiting.poll();
                State before = state;
                Decided decided = Decider.decide(before, next.command()).fold(problems -> {
                    answers.add(() -> next.answer().complete(new Submission.Rejected(problems)));
                    return null;
                }, event -> {
                    State after = before.evolve(event);
                    return new Decided(next, event, after,
                            !(next.command() instanceof ObservationCommand) && after == before);
                });
                if (decided != null) {
                    batch.add(decided);
                    if (!decided.unchanged()) {
                        proposals.add(new Proposal(decided.event(), next.source(),
                                decided.event() instanceof ObservationEvent ? instance : null));
                        state = decided.state();
                    }
                }
            }
            if (proposals.isEmpty()) {
                long sequence = committedSequence;
                batch.forEach(decided -> answers.add(() -> decided.waiting().answer().complete(
                        new Submission.Unchanged(sequence, decided.event(), decided.state()))));
            } else {
                inFlight = true;
            }
            expected = committedSequence;
        }
        answers.forEach(Runnable::run);
        if (proposals.isEmpty()) {
            nextBatch();
            return;
        }
        stream.append(expected, proposals).whenComplete((appended, error) -> batchAnswered(batch, appended, error));
    }

    private void batchAnswered(List<Decided> batch, Appended appended, Throwable error) {
        synchronized (this) {
            inFlight = false;
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                batch.forEach(decided -> notices.add(() -> decided.waiting().answer().completeExceptionally(cause)));
            } else {
                appended.fold(written -> {
                    int index = 0;
                    long sequence = committedSequence;
                    for (Decided decided : batch) {
                        if (decided.unchanged()) {
                            long at = sequence;
                            notices.add(() -> decided.waiting().answer().complete(new Submission.Unchanged(at,
                                    decided.event(), decided.state())));
                            continue;
                        }
                        RecordedEvent recorded = written.recorded().get(index);
                        advance(recorded.sequence(), decided.state(), written.fingerprints().get(index));
                        sequence = recorded.sequence();
                        index++;
                        notices.add(() -> decided.waiting().answer().complete(new Submission.Recorded(recorded,
                                decided.state())));
                    }
                    return null;
                }, conflict -> {
                    LOG.debug("a batch of {} decided against sequence {}, and the stream is at {}: deciding again",
                            batch.size(), conflict.expected(), conflict.last());
                    Optional<RuntimeException> stuck = catchUp();
                    if (stuck.isPresent()) {
                        // Deciding again against the same state would only conflict again.
                        batch.forEach(decided -> notices.add(() -> decided.waiting().answer()
                                .completeExceptionally(stuck.get())));
                    } else {
                        for (int i = batch.size() - 1; i >= 0; i--) {
                            waiting.addFirst(batch.get(i).waiting());
                        }
                    }
                    return null;
                });
            }
            drainWatched();
        }
        tell();
        nextBatch();
    }

    /**
     * Folds what the stream holds beyond this store's state, read now (the watch may lag behind it).
     *
     * @return why the state could not move on, if it could not
     */
    private Optional<RuntimeException> catchUp() {
        long before = committedSequence;
        try {
            stream.read(committedSequence, this::fold);
        } catch (RuntimeException e) {
            LOG.warn("the event stream cannot be read after sequence {}: {}", committedSequence, e.getMessage());
            if (committedSequence == before) {
                return Optional.of(e instanceof EventStreamUnavailableException ? e
                        : new EventStreamUnavailableException("the event stream cannot be folded past sequence "
                                + before + ": " + e.getMessage(), e));
            }
        }
        return committedSequence > before ? Optional.empty() : Optional.of(new EventStreamUnavailableException(
                "the event stream " + stream.describe() + " moved past sequence " + before + ", and nothing after"
                + " it can be read yet"));
    }

    /** A record from the watch: folded at once if nothing of this store is in flight, else when that is answered. */
    private void watched(StreamRecord record) {
        synchronized (this) {
            if (record.sequence() > committedSequence) {
                watched.put(record.sequence(), record);
                drainWatched();
            }
        }
        tell();
    }

    /**
     * Tells what was queued, in order, one thread at a time, and under no lock: a thread that finds another telling
     * leaves its notices to that one and returns. Waiting instead would deadlock: a notice runs the pipeline, which
     * takes its own lock, and a thread holding that lock may be submitting here.
     */
    private void tell() {
        if (telling.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            for (Runnable notice = notices.poll(); notice != null; notice = notices.poll()) {
                try {
                    notice.run();
                } catch (RuntimeException e) {
                    // One listener's failure must not keep the others, and every later notice, untold.
                    LOG.warn("telling what the event store did failed: {}", e.toString());
                }
            }
            missed = telling.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainWatched() {
        watched.headMap(committedSequence, true).clear();
        while (!inFlight && !watched.isEmpty()
                && watched.firstKey() == committedSequence + 1) {
            fold(watched.pollFirstEntry().getValue());
        }
    }

    /** Folds the next record of a shared stream, which another instance appended. */
    private void fold(StreamRecord record) {
        if (record.sequence() != committedSequence + 1) {
            return;
        }
        RecordedEvent recorded = record.recorded();
        State next = recorded.foldedBy(instance) ? committed.evolve(recorded.event()) : committed;
        advance(recorded.sequence(), next, record.fingerprint());
        notices.add(() -> follower.followed(recorded, next));
    }

    private void advance(long sequence, State state, long fingerprint) {
        committed = state;
        committedSequence = sequence;
        if (snapshotEvery > 0 && sequence % snapshotEvery == 0) {
            snapshotWriter.execute(() -> writeSnapshot(sequence, fingerprint, state));
        }
    }

    private void writeSnapshot(long sequence, long follows, State state) {
        try {
            stream.saveSnapshot(new StreamSnapshot(sequence, follows, SnapshotCodec.encode(sequence, state), ""));
        } catch (RuntimeException e) {
            // A missing snapshot costs start-up time, never data: the stream has every event.
            LOG.warn("snapshot at sequence {} not written: {}", sequence, e.getMessage());
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

    /** @return why the stream cannot take writes now, or the state no longer follows it, if so */
    public Optional<String> unavailable() {
        return followingFailed != null ? Optional.of(followingFailed) : stream.unavailable();
    }

    /** @return what opening the local log found and did (none for a shared stream) */
    public Optional<RecoveryReport> recovery() {
        return recovery;
    }

    /** @return where the events are, in the operator's words */
    public String describe() {
        return stream.describe();
    }

    /** @return the stream the store folds */
    public EventStream stream() {
        return stream;
    }

    /** @return the name this instance's observations carry in a shared stream (null for a local log) */
    @Override
    public String instance() {
        return instance;
    }

    /** @return snapshots skipped while opening, and why */
    public List<String> warnings() {
        return warnings;
    }

    /** Stops following, waits for pending appends and the snapshot being written, then closes the stream. */
    @Override
    public void close() {
        AutoCloseable following = watch;
        if (following != null) {
            try {
                following.close();
            } catch (Exception e) {
                LOG.debug("stopping the watch: {}", e.getMessage());
            }
        }
        // The snapshots asked for are written first: closing the stream under them would lose the newest one, and
        // the next start would replay from an older one.
        snapshotWriter.shutdown();
        try {
            snapshotWriter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stream.close();
    }
}
