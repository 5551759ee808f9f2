package io.statelesslb.controller.store;

import io.statelesslb.eventlog.LocalEventStream;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import io.statelesslb.eventlog.stream.Proposal;
import io.statelesslb.eventlog.stream.StreamReader;
import io.statelesslb.eventlog.stream.StreamSnapshot;
import io.statelesslb.eventlog.stream.StreamWatcher;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The local log as a stream several instances share: appends are answered before they return (as an etcd append
 * answered at once would be), records are watched on a thread of the watch's own, and nothing is written once it
 * is closed, as with etcd's client.
 */
final class SharedLocalStream implements EventStream {

    private final LocalEventStream local;
    private final AtomicBoolean closed = new AtomicBoolean();

    SharedLocalStream(LocalEventStream local) {
        this.local = local;
    }

    @Override
    public String describe() {
        return "shared " + local.describe();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public long lastSequence() {
        return local.lastSequence();
    }

    @Override
    public CompletableFuture<Appended> append(long expectedLast, List<Proposal> proposals) {
        return CompletableFuture.completedFuture(local.append(expectedLast, proposals).join());
    }

    @Override
    public StreamReader reader(long after) {
        return local.reader(after);
    }

    @Override
    public AutoCloseable watch(long after, StreamWatcher watcher) {
        ExecutorService watching = Executors.newSingleThreadExecutor(task -> new Thread(task, "watch"));
        AutoCloseable watch = local.watch(after, record -> watching.execute(() -> watcher.record(record)));
        return () -> {
            watch.close();
            watching.shutdownNow();
        };
    }

    @Override
    public Optional<StreamSnapshot> latestSnapshot(long atMost, Consumer<String> skipped) {
        return local.latestSnapshot(atMost, skipped);
    }

    @Override
    public void saveSnapshot(StreamSnapshot snapshot) {
        if (closed.get()) {
            throw new EventStreamUnavailableException("the stream is closed");
        }
        local.saveSnapshot(snapshot);
    }

    @Override
    public Optional<String> unavailable() {
        return local.unavailable();
    }

    @Override
    public void close() {
        closed.set(true);
        local.close();
    }
}
