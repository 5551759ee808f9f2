package io.statelesslb.controller.feed;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.eventlog.EventLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * The recorded events as they happen, for watchers that resume from a sequence number: the most recent ones are
 * kept in memory, older ones are read back from the event log. A watcher that falls further behind than it may
 * buffer is ended with {@link WatcherTooSlowException}, and resumes from the last sequence it saw.
 *
 * <p>Nothing here runs on the threads that must not wait: new events are handed to watchers by a thread of the
 * feed's own (the log writer only queues them), and a watcher's history is read from the log on a worker thread,
 * a few watchers at a time, never on the HTTP server's event loop.
 */
public final class EventFeed {

    /** How many watchers read history from the log at once; the others wait their turn. */
    private static final int HISTORY_READERS = 2;

    private final Path logDir;
    private final int retained;
    private final int watcherBuffer;
    private final ArrayDeque<RecordedEvent> recent = new ArrayDeque<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final ExecutorService fanOut = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-feed");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore historyReaders = new Semaphore(HISTORY_READERS);
    private long lastSequence;
    private boolean closed;

    /** A watcher's sink, and the last sequence it was sent (so that no event goes twice, nor is skipped). */
    private static final class Watcher {
        private final FluxSink<RecordedEvent> sink;
        private long sent;

        Watcher(FluxSink<RecordedEvent> sink, long sent) {
            this.sink = sink;
            this.sent = sent;
        }

        synchronized void send(RecordedEvent event) {
            if (event.sequence() > sent) {
                sent = event.sequence();
                sink.next(event);
            }
        }
    }

    /**
     * @param logDir        where the log is, for watchers that resume before the retained events
     * @param lastSequence  the log's last sequence when the feed starts
     * @param retained      how many recent events are kept in memory
     * @param watcherBuffer how many events a watcher may fall behind before it is ended
     */
    public EventFeed(Path logDir, long lastSequence, int retained, int watcherBuffer) {
        this.logDir = logDir;
        this.lastSequence = lastSequence;
        this.retained = retained;
        this.watcherBuffer = watcherBuffer;
    }

    /**
     * Keeps a newly recorded event, and has the feed's thread hand it to every watcher; called in sequence order
     * (by the log writer, which must not wait for watchers).
     */
    public synchronized void publish(RecordedEvent event) {
        recent.addLast(event);
        if (recent.size() > retained) {
            recent.removeFirst();
        }
        lastSequence = event.sequence();
        if (!closed) {
            fanOut.execute(() -> watchers.forEach(watcher -> watcher.send(event)));
        }
    }

    /** @return the sequence of the last recorded event */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /**
     * @param after the last sequence the caller has (0 for everything)
     * @param limit at most this many events
     * @return recorded events after {@code after}, oldest first
     */
    public List<RecordedEvent> list(long after, int limit) {
        List<RecordedEvent> events = new ArrayList<>();
        long from = after;
        if (from < oldestRetained() - 1) {
            for (RecordedEvent event : readLog(from, limit)) {
                events.add(event);
                from = event.sequence();
            }
        }
        synchronized (this) {
            for (RecordedEvent event : recent) {
                if (events.size() >= limit) {
                    break;
                }
                if (event.sequence() > from) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    /**
     * @param after the last sequence the watcher has seen (0 for everything)
     * @return the events after {@code after}, then every new one as it is recorded; never completes
     */
    public Flux<RecordedEvent> watch(long after) {
        return Flux.<RecordedEvent>create(sink -> {
                    long from = after;
                    if (from < oldestRetained() - 1) {
                        historyReaders.acquireUninterruptibly();
                        try {
                            for (RecordedEvent event : readLog(from, Integer.MAX_VALUE)) {
                                sink.next(event);
                                from = event.sequence();
                            }
                        } finally {
                            historyReaders.release();
                        }
                    }
                    Watcher watcher;
                    synchronized (this) {
                        if (closed) {
                            sink.complete();
                            return;
                        }
                        RecordedEvent oldest = recent.peekFirst();
                        if (oldest != null && oldest.sequence() > from + 1 && from < lastSequence) {
                            sink.error(new WatcherTooSlowException(from));
                            return;
                        }
                        watcher = new Watcher(sink, from);
                        for (RecordedEvent event : recent) {
                            watcher.send(event);
                        }
                        watchers.add(watcher);
                    }
                    sink.onDispose(() -> watchers.remove(watcher));
                }, FluxSink.OverflowStrategy.BUFFER)
                // The history is read on a worker thread: never on the caller's, which may be an event loop.
                .subscribeOn(Schedulers.boundedElastic())
                .onBackpressureBuffer(watcherBuffer, dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorMap(Exceptions::isOverflow, overflow -> new WatcherTooSlowException(-1));
    }

    /** Ends every watch (the daemon is stopping); watches started later end at once. */
    public synchronized void close() {
        closed = true;
        fanOut.shutdown();
        try {
            // What was queued for the watchers goes out before they are ended.
            fanOut.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchers.forEach(watcher -> watcher.sink.complete());
        watchers.clear();
    }

    /** @return how many watchers are connected */
    public int watchers() {
        return watchers.size();
    }

    private synchronized long oldestRetained() {
        RecordedEvent oldest = recent.peekFirst();
        return oldest == null ? lastSequence + 1 : oldest.sequence();
    }

    private List<RecordedEvent> readLog(long after, int limit) {
        long before = oldestRetained();
        List<RecordedEvent> events = new ArrayList<>();
        EventLog.read(logDir, record -> {
            if (record.sequence() > after && record.sequence() < before && events.size() < limit) {
                events.add(new RecordedEvent(record.sequence(), Instant.ofEpochMilli(record.timestampMillis()),
                        record.event()));
            }
        });
        return events;
    }
}
