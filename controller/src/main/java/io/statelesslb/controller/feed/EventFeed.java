package io.statelesslb.controller.feed;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.StreamReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The recorded events as they happen, for watchers that resume from a sequence number: the most recent ones are
 * kept in memory, older ones are read back from the event log. A watcher that falls further behind than it may
 * buffer is ended with {@link WatcherTooSlowException}, and resumes from the last sequence it saw.
 *
 * <p>Nothing here runs on the threads that must not wait: new events are handed to watchers by a thread of the
 * feed's own (the log writer only queues them), and a watcher's history is read from the log on a worker thread,
 * a few watchers at a time, never on the HTTP server's event loop. History is read a page at a time as the watcher
 * takes it, so a watcher that starts at the beginning of a long log holds a page, not the log.
 */
public final class EventFeed {

    /** How many watchers read history from the log at once; the others wait their turn. */
    private static final int HISTORY_READERS = 2;

    /** How many events a watcher's history read holds at once. */
    private static final int HISTORY_PAGE = 256;

    private final EventStream stream;
    private final int retained;
    private final int watcherBuffer;
    private final ArrayDeque<RecordedEvent> recent = new ArrayDeque<>();
    private final List<Watcher<?>> watchers = new CopyOnWriteArrayList<>();
    private final ExecutorService fanOut = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-feed");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore historyReaders = new Semaphore(HISTORY_READERS);
    private long lastSequence;
    private boolean closed;

    /**
     * A watcher's sink, the last sequence it was sent (so that no event goes twice, nor is skipped), and how far it
     * is behind: the events sent beyond what it asked for wait in the sink's buffer, and past {@code buffer} of them
     * the watcher is ended.
     */
    private static final class Watcher<T> {
        private final FluxSink<T> sink;
        private final Function<RecordedEvent, T> view;
        private final Sinks.One<Boolean> tooSlow;
        private final int buffer;
        private long sent;
        private long given;
        private long asked;

        Watcher(FluxSink<T> sink, Function<RecordedEvent, T> view, long sent, int buffer, Sinks.One<Boolean> tooSlow) {
            this.sink = sink;
            this.view = view;
            this.sent = sent;
            this.buffer = buffer;
            this.tooSlow = tooSlow;
        }

        synchronized void asked(long n) {
            asked = asked + n < 0 ? Long.MAX_VALUE : asked + n;
        }

        synchronized void send(RecordedEvent event) {
            if (event.sequence() <= sent) {
                return;
            }
            if (given - asked >= buffer) {
                tooSlow.tryEmitValue(true);
                return;
            }
            sent = event.sequence();
            given++;
            sink.next(view.apply(event));
        }
    }

    /**
     * @param stream        where the events are, for watchers that resume before the retained events
     * @param lastSequence  the log's last sequence when the feed starts
     * @param retained      how many recent events are kept in memory
     * @param watcherBuffer how many events a watcher may fall behind before it is ended
     */
    public EventFeed(EventStream stream, long lastSequence, int retained, int watcherBuffer) {
        this.stream = stream;
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
            try (StreamReader reader = stream.reader(from)) {
                readHistory(reader, from, limit, events::add);
            }
            from = events.isEmpty() ? from : events.get(events.size() - 1).sequence();
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
        return watch(after, Function.identity());
    }

    /**
     * @param after the last sequence the watcher has seen (0 for everything)
     * @param view  what the watcher receives of each event (its wire form, say), made off the caller's thread: on
     *              the worker that reads the history, then on the feed's thread
     * @return the views of the events after {@code after}, then of every new one as it is recorded; never completes
     */
    public <T> Flux<T> watch(long after, Function<RecordedEvent, T> view) {
        return Flux.defer(() -> {
            if (isClosed()) {
                return Flux.empty();
            }
            AtomicLong seen = new AtomicLong(after);
            return history(after, view, seen).concatWith(Flux.defer(() -> live(seen.get(), view)));
        });
    }

    /**
     * The events after {@code after} that are no longer in memory, read from the log a page at a time as the
     * watcher asks for them: memory stays bounded by a page however far back it starts, and a watcher that stops
     * reading stops the reading. The pages are read on a worker thread, a few watchers at a time.
     */
    private <T> Flux<T> history(long after, Function<RecordedEvent, T> view, AtomicLong seen) {
        if (after >= oldestRetained() - 1) {
            return Flux.empty();
        }
        return Flux.using(() -> stream.reader(after),
                        reader -> Flux.<List<T>>generate(sink -> {
                            List<T> page = new ArrayList<>(HISTORY_PAGE);
                            historyReaders.acquireUninterruptibly();
                            try {
                                readHistory(reader, seen.get(), HISTORY_PAGE, event -> {
                                    page.add(view.apply(event));
                                    seen.set(event.sequence());
                                });
                            } finally {
                                historyReaders.release();
                            }
                            if (page.isEmpty()) {
                                sink.complete();
                            } else {
                                sink.next(page);
                            }
                        }),
                        StreamReader::close)
                // Never on the caller's thread, which may be an event loop: each page is read on a worker, and
                // asked for a page at a time (one task per page, not per event the connection takes).
                .subscribeOn(Schedulers.boundedElastic())
                .concatMapIterable(page -> page, 1);
    }

    /** The events after {@code after} that are in memory, then every new one; ends a watcher that falls behind. */
    private <T> Flux<T> live(long after, Function<RecordedEvent, T> view) {
        // true when the watcher fell behind; false once its events end otherwise (the feed closed, or cancelled).
        Sinks.One<Boolean> tooSlow = Sinks.one();
        Flux<T> events = Flux.<T>create(sink -> {
            AtomicReference<Watcher<T>> registered = new AtomicReference<>();
            sink.onDispose(() -> {
                Watcher<T> watcher = registered.get();
                if (watcher != null) {
                    watchers.remove(watcher);
                }
                tooSlow.tryEmitValue(false);
            });
            synchronized (this) {
                if (closed) {
                    sink.complete();
                    return;
                }
                RecordedEvent oldest = recent.peekFirst();
                if (oldest != null && oldest.sequence() > after + 1 && after < lastSequence) {
                    // More than the retained events were recorded while the history was read.
                    sink.error(new WatcherTooSlowException(after));
                    return;
                }
                Watcher<T> watcher = new Watcher<>(sink, view, after, watcherBuffer, tooSlow);
                sink.onRequest(watcher::asked);
                for (RecordedEvent event : recent) {
                    watcher.send(event);
                }
                registered.set(watcher);
                watchers.add(watcher);
                if (sink.isCancelled()) {
                    // Cancelled while it was sent the retained events, before it was registered to be forgotten.
                    watchers.remove(watcher);
                }
            }
        }, FluxSink.OverflowStrategy.BUFFER);
        // The error is merged in rather than sent through the sink, where it would wait behind the buffered events:
        // one that never reads would hold them for ever. Ended at once, it resumes from the log after the last
        // event it took.
        return events.mergeWith(tooSlow.asMono().flatMap(slow -> slow
                ? Mono.error(new WatcherTooSlowException(-1)) : Mono.empty()));
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

    private synchronized boolean isClosed() {
        return closed;
    }

    /** @return how many watchers are connected */
    public int watchers() {
        return watchers.size();
    }

    private synchronized long oldestRetained() {
        RecordedEvent oldest = recent.peekFirst();
        return oldest == null ? lastSequence + 1 : oldest.sequence();
    }

    /**
     * Reads up to {@code limit} events from {@code reader}, which has handed everything up to {@code after}, up to
     * the oldest one in memory.
     */
    private void readHistory(StreamReader reader, long after, int limit, Consumer<RecordedEvent> into) {
        long upTo = oldestRetained() - 1;
        if (after < upTo) {
            reader.read((int) Math.min(limit, upTo - after), record -> into.accept(record.recorded()));
        }
    }
}
