package io.statelesslb.eventlog;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.RecordedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, append-only event log. Appends from any thread are queued; one writer thread takes everything
 * queued, gives each event the next sequence number and the clock's time, writes the batch, fsyncs once (group
 * commit) and only then completes the appends' futures. A failed write or fsync stops the log for good: every
 * pending and later append fails with the cause, because the kernel may have dropped the unsynced pages and a
 * retry could report success for data that is gone.
 *
 * <p>Opening scans every segment ({@link LogScan}): a torn tail is truncated and reported; corruption before the
 * tail refuses to start, naming file and offset, unless {@link EventLogOptions#repair()} is set.
 */
public final class EventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private static final int MAX_BATCH = 4096;

    private final Path dir;
    private final EventLogOptions options;
    private final Clock clock;
    private final FileSync sync;
    private final RecoveryReport recovery;
    private final DirectoryLock lock;
    private final HighWaterMark highWater;
    private long lostAcknowledged;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    private FileChannel segment;
    private Path segmentFile;
    private long segmentSize;
    private long lastSequence;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private volatile Throwable failure;
    private volatile boolean closing;

    /**
     * An append waiting for the writer; {@code expected} is the last sequence it must follow, or -1 for any;
     * {@code after} is the append of the same group before it, which it is refused with (null for none).
     */
    private record Pending(long expected, int type, byte[] body, CompletableFuture<LogRecord> acknowledged,
                           CompletableFuture<LogRecord> after) {
    }

    /** Wakes the writer up on close. */
    private static final Pending CLOSE = new Pending(-1, 0, null, null, null);
    /** Told of every record once it is durable, in order, on the writer's thread. */
    private final List<RecordVisitor> followers = new CopyOnWriteArrayList<>();
    /** Segments and snapshots are created readable and writable by their owner alone, whatever the umask. */
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private EventLog(Path dir, EventLogOptions options, Clock clock, FileSync sync, long replayAfter,
                     RecordVisitor visitor) throws IOException {
        this.dir = dir;
        this.options = options;
        this.clock = clock;
        this.sync = sync;
        prepareDirectory(dir);
        this.lock = DirectoryLock.take(dir, "event log directory");
        try {
            this.recovery = recover(replayAfter, visitor);
            this.highWater = checkedHighWater();
        } catch (IOException | RuntimeException e) {
            if (segment != null) {
                segment.close();
            }
            releaseLock();
            throw e;
        }
        this.writer = new Thread(this::writeLoop, "event-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering it and handing every intact record after
     * {@code replayAfter} to {@code visitor}.
     *
     * @throws EventLogCorruptedException when a record before the tail is damaged and repair is off
     * @throws EventLogException          when the directory cannot be used
     */
    public static EventLog open(Path dir, EventLogOptions options, Clock clock, long replayAfter,
                                RecordVisitor visitor) {
        return open(dir, options, clock, FileSync.FORCE, replayAfter, visitor);
    }

    static EventLog open(Path dir, EventLogOptions options, Clock clock, FileSync sync, long replayAfter,
                         RecordVisitor visitor) {
        try {
            return new EventLog(dir, options, clock, sync, replayAfter, visitor);
        } catch (IOException e) {
            throw new EventLogException("cannot open event log in " + dir + ": " + e, e);
        }
    }

    /**
     * Reads the log in {@code dir} without changing anything (no lock, no truncation): for replay and inspection.
     *
     * @return what a recovery would find; a torn tail is reported, not removed
     * @throws EventLogCorruptedException when a record before the tail is damaged
     */
    public static RecoveryReport read(Path dir, RecordVisitor visitor) {
        if (!Files.isDirectory(dir)) {
            throw new EventLogException("event log directory " + dir + " does not exist (expected: a --data-dir"
                    + " written by slb)");
        }
        try {
            LogScan.Result result = LogScan.scan(dir, 0, visitor);
            if (result.end() instanceof LogScan.Corrupt corrupt) {
                throw new EventLogCorruptedException(corrupt.file(), corrupt.offset(), corrupt.reason());
            }
            Optional<RecoveryReport.Truncation> torn = result.end() instanceof LogScan.Torn t
                    ? Optional.of(new RecoveryReport.Truncation(t.file(), t.offset(), t.bytesDropped(), t.reason(),
                            false))
                    : Optional.empty();
            return new RecoveryReport(result.segments().size(), result.records(), result.lastSequence(), torn);
        } catch (IOException e) {
            throw new EventLogException("cannot read event log in " + dir + ": " + e, e);
        }
    }

    /**
     * Opens a cursor that reads the log in {@code dir} forward from {@code after} (0 for the beginning), a page at a
     * time, while the log may be appended to: for watchers and listings of history.
     */
    public static LogCursor cursor(Path dir, long after) {
        return new LogCursor(dir, after);
    }

    /** {@link #append(Event, String)} without a source. */
    public CompletableFuture<RecordedEvent> append(Event event) {
        return append(event, null);
    }

    /**
     * Appends an event, with who asked for it ({@code source}, kept in the record; null for none). The future
     * completes once the event is on disk (fsync'd), with its sequence and time; it fails if the log has failed or
     * is closing.
     */
    public CompletableFuture<RecordedEvent> append(Event event, String source) {
        return append(-1, event, source, null, null).thenApply(record -> new RecordedEvent(record.sequence(),
                Instant.ofEpochMilli(record.timestampMillis()), event, source));
    }

    /**
     * Appends an event as the record after {@code expected}, only if the log still ends there once the records
     * queued before it are written, and {@code after} (the append before it in the same group, or null) was not
     * refused: otherwise the future fails with {@link AppendConflictException} and nothing is written. With
     * {@code expected} -1, wherever the log ends.
     *
     * @param instance the instance whose own observation the event is (null for a trench-wide fact)
     * @return completes with the record as written, once it is durable
     */
    CompletableFuture<LogRecord> append(long expected, Event event, String source, String instance,
                                        CompletableFuture<LogRecord> after) {
        CompletableFuture<LogRecord> acknowledged = new CompletableFuture<>();
        Throwable failed = failure;
        if (failed != null) {
            acknowledged.completeExceptionally(stopped(failed));
            return acknowledged;
        }
        if (closing) {
            acknowledged.completeExceptionally(new EventLogException("event log " + dir + " is closed"));
            return acknowledged;
        }
        byte[] body = EventCodec.recordBody(event, source, instance);
        if (body.length > LogFormat.MAX_BODY_BYTES) {
            acknowledged.completeExceptionally(new IllegalArgumentException("event body of " + body.length
                    + " bytes (expected: at most " + LogFormat.MAX_BODY_BYTES + ")"));
            return acknowledged;
        }
        queue.add(new Pending(expected, EventCodec.recordType(event, source, instance), body, acknowledged, after));
        return acknowledged;
    }

    /**
     * Tells {@code visitor} of every record from now on once it is durable, in order, on the writer's thread (it
     * must not block).
     *
     * @return stops telling it
     */
    public AutoCloseable onWritten(RecordVisitor visitor) {
        followers.add(visitor);
        return () -> followers.remove(visitor);
    }

    /** @return the directory the log is in */
    public Path directory() {
        return dir;
    }

    /** @return what opening the log found and did */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** @return the sequence of the last record written (acknowledged or about to be) */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /** @return the cause that stopped the log, if a write or fsync failed */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits for queued appends to be written and acknowledged, then closes the files and releases the lock. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(CLOSE);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (segment != null) {
                segment.close();
            }
            highWater.close();
        } catch (IOException ignored) {
            // Everything acknowledged was fsync'd already; nothing is lost by a failing close.
        }
        releaseLock();
    }

    private void releaseLock() {
        lock.close();
    }

    private static void prepareDirectory(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new EventLogException("event log directory " + dir + " is not a directory (expected: a directory"
                    + " or a path to create)");
        }
        if (!Files.exists(dir)) {
            // The log is the trench's history: the daemon's user alone reads it.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            syncDirectory(dir.toAbsolutePath().getParent());
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new EventLogException("event log directory " + dir + " is not readable and writable by this user");
        }
    }

    private RecoveryReport recover(long replayAfter, RecordVisitor visitor) throws IOException {
        Optional<RecoveryReport.Truncation> truncation = Optional.empty();
        if (options.repair()) {
            // A segment whose header alone is damaged keeps its records: the header is written again first.
            for (Path file : LogScan.segments(dir)) {
                if (LogScan.onlyHeaderDamaged(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(LogFormat.MAGIC), 0);
                        sync.force(channel);
                    }
                    truncation = Optional.of(new RecoveryReport.Truncation(file, 0, 0, "segment header damaged,"
                            + " written again (its records are intact)", true));
                }
            }
        }
        LogScan.Result result = LogScan.scan(dir, replayAfter, visitor);
        List<Path> segments = new ArrayList<>(result.segments());
        if (result.end() instanceof LogScan.Torn torn) {
            truncate(segments, torn.file(), torn.offset());
            truncation = Optional.of(new RecoveryReport.Truncation(torn.file(), torn.offset(), torn.bytesDropped(),
                    torn.reason(), false));
        } else if (result.end() instanceof LogScan.Corrupt corrupt) {
            if (!options.repair()) {
                throw new EventLogCorruptedException(corrupt.file(), corrupt.offset(), corrupt.reason());
            }
            long bytesDropped = corrupt.bytesDropped();
            if (corrupt.damage() == LogScan.Damage.MISNAMED_SEGMENT) {
                // Cut to nothing it would keep its name, and the next records would go into a file named for other
                // sequences: it goes, so that the repaired log is one the next start finds clean.
                int index = segments.indexOf(corrupt.file());
                truncate(segments, corrupt.file(), 0);
                Files.delete(corrupt.file());
                segments.remove(index);
                syncDirectory(dir);
            } else {
                truncate(segments, corrupt.file(), corrupt.offset());
            }
            truncation = Optional.of(new RecoveryReport.Truncation(corrupt.file(), corrupt.offset(), bytesDropped,
                    corrupt.reason(), true));
        }
        lastSequence = result.lastSequence();
        if (segments.isEmpty()) {
            startSegment(lastSequence + 1);
        } else {
            segmentFile = segments.get(segments.size() - 1);
            segment = FileChannel.open(segmentFile, StandardOpenOption.WRITE);
            segmentSize = segment.size();
            if (segmentSize < LogFormat.MAGIC.length) {
                // Torn right after the segment was created: write its header again.
                segment.truncate(0);
                segment.write(ByteBuffer.wrap(LogFormat.MAGIC), 0);
                sync.force(segment);
                segmentSize = LogFormat.MAGIC.length;
            }
            segment.position(segmentSize);
        }
        return new RecoveryReport(segments.size(), result.records(), lastSequence, truncation);
    }

    /**
     * @return the mark, once the log holds everything it says was acknowledged; a repair (which drops what is
     *         damaged) or an accepted loss moves it to the log's end
     * @throws EventLogException when acknowledged events are missing and no loss is accepted
     */
    private HighWaterMark checkedHighWater() throws IOException {
        Optional<Long> acknowledged = HighWaterMark.read(dir);
        HighWaterMark mark = HighWaterMark.open(dir);
        if (acknowledged.isPresent() && acknowledged.get() > lastSequence) {
            long missing = acknowledged.get() - lastSequence;
            if (!options.acceptLoss() && !options.repair()) {
                mark.close();
                throw new EventLogException("event log " + dir + " ends at sequence " + lastSequence + " but sequence "
                        + acknowledged.get() + " was acknowledged: " + missing + " acknowledged event(s) are missing"
                        + " (a segment lost or cut?). Nothing was changed; restore the missing segment from a backup,"
                        + " or accept the loss: slb recover --data-dir " + dir + " --accept-loss");
            }
            LOG.warn("event log {} ends at sequence {}: {} acknowledged event(s) lost, accepted", dir, lastSequence,
                    missing);
            mark.reset(lastSequence);
            lostAcknowledged = missing;
        } else if (acknowledged.isEmpty() || acknowledged.get() < lastSequence) {
            mark.reset(lastSequence);
        }
        return mark;
    }

    /** @return how many acknowledged events a repair or an accepted loss gave up at opening (0 when none) */
    public long lostAcknowledged() {
        return lostAcknowledged;
    }

    /** Cuts {@code file} at {@code offset} and deletes every later segment, making both durable. */
    private void truncate(List<Path> segments, Path file, long offset) throws IOException {
        int index = segments.indexOf(file);
        for (Path later : List.copyOf(segments.subList(index + 1, segments.size()))) {
            Files.delete(later);
            segments.remove(later);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(offset);
            sync.force(channel);
        }
        syncDirectory(dir);
    }

    private void startSegment(long firstSequence) throws IOException {
        Path file = dir.resolve(LogFormat.segmentName(firstSequence));
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OWNER_ONLY);
        channel.write(ByteBuffer.wrap(LogFormat.MAGIC));
        sync.force(channel);
        syncDirectory(dir);
        if (segment != null) {
            segment.close();
        }
        segment = channel;
        segmentFile = file;
        segmentSize = LogFormat.MAGIC.length;
    }

    /** An fsync of a file does not persist its directory entry; this does. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean close = batch.remove(CLOSE);
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            if (close) {
                // Appends that raced with close() are refused, not lost silently.
                List<Pending> late = new ArrayList<>();
                queue.drainTo(late);
                late.stream().filter(p -> p != CLOSE).forEach(p -> p.acknowledged()
                        .completeExceptionally(new EventLogException("event log " + dir + " is closed")));
                return;
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        if (failure != null) {
            batch.forEach(p -> p.acknowledged().completeExceptionally(stopped(failure)));
            return;
        }
        long timestamp = clock.millis();
        List<LogRecord> records = new ArrayList<>(batch.size());
        long start;
        synchronized (this) {
            start = lastSequence;
        }
        batch = refuseConflicts(batch, start);
        if (batch.isEmpty()) {
            return;
        }
        try {
            int bytes = 0;
            for (Pending p : batch) {
                bytes += LogFormat.HEADER_BYTES + p.body().length;
            }
            if (buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2));
            }
            buffer.clear();
            long sequence = start;
            for (Pending p : batch) {
                sequence++;
                records.add(new LogRecord(sequence, timestamp, p.type(), p.body(), segmentFile,
                        segmentSize + buffer.position()));
                LogFormat.write(buffer, sequence, timestamp, p.type(), p.body());
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                segment.write(buffer);
            }
            sync.force(segment);
            synchronized (this) {
                lastSequence = sequence;
            }
            segmentSize += bytes;
            highWater.advance(sequence);
        } catch (IOException | RuntimeException e) {
            failure = new EventLogException("write or fsync of " + segmentFile + " failed: " + e, e);
            batch.forEach(p -> p.acknowledged().completeExceptionally(stopped(failure)));
            List<Pending> queued = new ArrayList<>();
            queue.drainTo(queued);
            queued.stream().filter(p -> p != CLOSE)
                    .forEach(p -> p.acknowledged().completeExceptionally(stopped(failure)));
            if (queued.contains(CLOSE)) {
                queue.add(CLOSE);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).acknowledged().complete(records.get(i));
        }
        for (RecordVisitor visitor : followers) {
            records.forEach(visitor::visit);
        }
        if (segmentSize >= options.segmentBytes()) {
            try {
                startSegment(lastSequence() + 1);
            } catch (IOException e) {
                failure = new EventLogException("cannot start a new segment in " + dir + ": " + e, e);
            }
        }
    }

    /**
     * @return the appends of {@code batch} that follow the log's end as they expect; the others are refused, each
     *         with the sequence the log would have ended at before it
     */
    private static List<Pending> refuseConflicts(List<Pending> batch, long start) {
        List<Pending> accepted = new ArrayList<>(batch.size());
        long last = start;
        for (Pending p : batch) {
            if (p.expected() >= 0 && p.expected() != last
                    || p.after() != null && p.after().isCompletedExceptionally()) {
                p.acknowledged().completeExceptionally(new AppendConflictException(p.expected(), last));
            } else {
                accepted.add(p);
                last++;
            }
        }
        return accepted;
    }

    private EventLogException stopped(Throwable cause) {
        return new EventLogException("event log " + dir + " stopped accepting writes: " + cause.getMessage(), cause);
    }
}
