package io.statelesslb.controller.feed;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.eventlog.EventLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The recorded events as they happen, for watchers that resume from a sequence number: the most recent ones are
 * kept in memory, older ones are read back from the event log. A watcher that falls further behind than it may
 * buffer is ended with {@link WatcherTooSlowException}, and resumes from the last sequence it saw.
 */
public final class EventFeed {

    private final Path logDir;
    private final int retained;
    private final int watcherBuffer;
    private final ArrayDeque<RecordedEvent> recent = new ArrayDeque<>();
    private final List<FluxSink<RecordedEvent>> watchers = new CopyOnWriteArrayList<>();
    private long lastSequence;
    private boolean closed;

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

    /** Hands a newly recorded event to every watcher; called in sequence order. */
    public synchronized void publish(RecordedEvent event) {
        recent.addLast(event);
        if (recent.size() > retained) {
            recent.removeFirst();
        }
        lastSequence = event.sequence();
        watchers.forEach(watcher -> watcher.next(event));
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
                        for (RecordedEvent event : readLog(from, Integer.MAX_VALUE)) {
                            sink.next(event);
                            from = event.sequence();
                        }
                    }
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
                        for (RecordedEvent event : recent) {
                            if (event.sequence() > from) {
                                sink.next(event);
                            }
                        }
                        watchers.add(sink);
                    }
                    sink.onDispose(() -> watchers.remove(sink));
                }, FluxSink.OverflowStrategy.BUFFER)
                .onBackpressureBuffer(watcherBuffer, dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorMap(Exceptions::isOverflow, overflow -> new WatcherTooSlowException(-1));
    }

    /** Ends every watch (the daemon is stopping); watches started later end at once. */
    public synchronized void close() {
        closed = true;
        watchers.forEach(FluxSink::complete);
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
                        EventCodec.decodeBody(record.type(), record.body())));
            }
        });
        return events;
    }
}
