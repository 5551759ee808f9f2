package io.statelesslb.eventlog;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamException;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import io.statelesslb.eventlog.stream.Proposal;
import io.statelesslb.eventlog.stream.StreamReader;
import io.statelesslb.eventlog.stream.StreamRecord;
import io.statelesslb.eventlog.stream.StreamSnapshot;
import io.statelesslb.eventlog.stream.StreamWatcher;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The event stream of one machine: the local log and the snapshots beside it in the data directory. Its writer is
 * the one process holding the directory's lock, so an append conflicts only when its caller's idea of the log's end
 * is wrong; it is checked all the same, as the contract says.
 */
public final class LocalEventStream implements EventStream {

    private final EventLog log;
    private final SnapshotStore snapshots;

    /** Serves {@code log}, whose directory also holds the snapshots; closing the stream closes the log. */
    public LocalEventStream(EventLog log) {
        this.log = log;
        this.snapshots = new SnapshotStore(log.directory());
    }

    @Override
    public String describe() {
        return "local log " + log.directory();
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public long lastSequence() {
        return log.lastSequence();
    }

    @Override
    public CompletableFuture<Appended> append(long expectedLast, List<Proposal> proposals) {
        List<CompletableFuture<LogRecord>> appends = new ArrayList<>(proposals.size());
        CompletableFuture<LogRecord> previous = null;
        for (int i = 0; i < proposals.size(); i++) {
            Proposal proposal = proposals.get(i);
            previous = log.append(expectedLast + i, proposal.event(), proposal.source(), proposal.instance(),
                    previous);
            appends.add(previous);
        }
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).handle((done, error) -> {
            if (error == null) {
                List<RecordedEvent> recorded = new ArrayList<>(proposals.size());
                List<Long> fingerprints = new ArrayList<>(proposals.size());
                for (int i = 0; i < proposals.size(); i++) {
                    LogRecord record = appends.get(i).join();
                    Proposal proposal = proposals.get(i);
                    recorded.add(new RecordedEvent(record.sequence(), Instant.ofEpochMilli(record.timestampMillis()),
                            proposal.event(), proposal.source(), proposal.instance()));
                    fingerprints.add(record.fingerprint());
                }
                return new Appended.Written(recorded, fingerprints);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof AppendConflictException conflict) {
                return new Appended.Conflict(conflict.expected(), conflict.last());
            }
            throw new CompletionException(cause instanceof IllegalArgumentException ? cause
                    : new EventStreamUnavailableException(cause.getMessage(), cause));
        });
    }

    /** One cursor over the segments, which finds its place once and then reads on from there. */
    @Override
    public StreamReader reader(long after) {
        LogCursor cursor = EventLog.cursor(log.directory(), after);
        return new StreamReader() {
            @Override
            public int read(int limit, StreamWatcher visitor) {
                return cursor.read(limit, log.lastSequence(), visitor::record);
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    @Override
    public AutoCloseable watch(long after, StreamWatcher watcher) {
        Watch watch = new Watch(after, watcher);
        AutoCloseable live = log.onWritten(watch::live);
        watch.catchUp();
        return live;
    }

    /** Hands the history, then what the writer writes; records written while the history is read wait their turn. */
    private final class Watch {
        private final StreamWatcher watcher;
        private final List<LogRecord> waiting = new ArrayList<>();
        private long delivered;
        private boolean caughtUp;

        Watch(long after, StreamWatcher watcher) {
            this.watcher = watcher;
            this.delivered = after;
        }

        void catchUp() {
            try {
                read(delivered, this::history);
            } catch (RuntimeException e) {
                watcher.failed(e);
                return;
            }
            synchronized (this) {
                waiting.forEach(this::deliver);
                waiting.clear();
                caughtUp = true;
            }
        }

        private synchronized void history(StreamRecord record) {
            deliver(record);
        }

        synchronized void live(LogRecord record) {
            if (caughtUp) {
                deliver(record);
            } else {
                waiting.add(record);
            }
        }

        private void deliver(StreamRecord record) {
            if (record.sequence() == delivered + 1) {
                delivered = record.sequence();
                watcher.record(record);
            }
        }
    }

    @Override
    public Optional<StreamSnapshot> latestSnapshot(long atMost, Consumer<String> skipped) {
        try {
            return snapshots.latest(atMost, skipped).map(stored -> new StreamSnapshot(stored.sequence(),
                    stored.follows(), stored.body(), stored.file().toString()));
        } catch (IOException e) {
            skipped.accept("snapshots in " + log.directory() + " cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void saveSnapshot(StreamSnapshot snapshot) {
        try {
            snapshots.save(snapshot.sequence(), snapshot.follows(), snapshot.body());
        } catch (IOException e) {
            throw new EventStreamException("snapshot at sequence " + snapshot.sequence() + " not written in "
                    + log.directory() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> unavailable() {
        return log.failure().map(failure -> "the event log stopped accepting writes: " + failure.getMessage());
    }

    /** @return the log underneath, for what only a local log has (its recovery report) */
    public EventLog log() {
        return log;
    }

    @Override
    public void close() {
        log.close();
    }
}
