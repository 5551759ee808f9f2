package io.statelesslb.eventlog.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.statelesslb.api.codec.EventCodec;
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
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trench's event stream on etcd, which every instance of the trench folds. Under the trench's prefix:
 * <ul>
 *   <li>{@code events/SEQUENCE}: one key per record ({@link EtcdRecord}), written once and never changed;</li>
 *   <li>{@code head}: the last sequence, in decimal. An append is one transaction: if {@code head} still holds the
 *   sequence the caller decided against, put the records and the new head; else read the head (the conflict).
 *   etcd answers a transaction once a quorum of members has it in their logs, so an acknowledged record survives
 *   the loss of any minority;</li>
 *   <li>{@code snapshots/INSTANCE}: each instance's newest snapshot of its state (its own observations included).
 *   </li>
 * </ul>
 * Reads are linearizable (a member cut off from the quorum cannot answer them). A watch reads the records after its
 * start by range, then follows etcd's watch from the revision of that read; after any interruption it starts again
 * from the last record it handed, so an instance that was cut off catches up from there, not from the beginning.
 */
public final class EtcdEventStream implements EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdEventStream.class);

    /** etcd refuses a request above 1.5 MiB by default; a snapshot above this is not kept (replay costs time only). */
    static final int MAX_SNAPSHOT_BYTES = 1_400_000;
    /** Records per range read. */
    private static final int PAGE = 1000;
    /** How often an idle watch checks that the cluster still answers, and that it has missed nothing. */
    private static final long PROBE_MILLIS = 1000;

    private final EtcdOptions options;
    private final String instance;
    private final Clock clock;
    private final Client client;
    private final KV kv;
    private final ByteSequence head;
    private final String eventsPrefix;
    private final ExecutorService appender;
    private final List<Following> watches = new CopyOnWriteArrayList<>();
    private volatile String unavailable;
    private volatile long lastSequence;
    private volatile boolean closed;

    private EtcdEventStream(EtcdOptions options, String instance, Clock clock, Client client) {
        this.options = options;
        this.instance = instance;
        this.clock = clock;
        this.client = client;
        this.kv = client.getKVClient();
        this.head = bytes(options.prefix() + "head");
        this.eventsPrefix = options.prefix() + "events/";
        this.appender = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "etcd-appender");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects to the cluster and reads the stream's last sequence.
     *
     * @param instance the name of this instance in the trench, under which its snapshots are kept
     * @throws EventStreamUnavailableException when no member answers within the timeout
     * @throws EventStreamException            when the TLS files cannot be used
     */
    public static EtcdEventStream connect(EtcdOptions options, String instance, Clock clock) {
        ClientBuilder builder = Client.builder()
                .endpoints(options.endpoints().toArray(URI[]::new))
                .connectTimeout(options.timeout())
                .retryMaxDuration(options.timeout())
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(options.timeout());
        if (options.user().isPresent()) {
            builder.user(bytes(options.user().get())).password(bytes(options.password().orElseThrow()));
        }
        if (options.tls()) {
            try {
                builder.sslContext(ssl -> {
                    options.caCert().ifPresent(ca -> ssl.trustManager(ca.toFile()));
                    options.cert().ifPresent(cert -> ssl.keyManager(cert.toFile(), options.key().orElseThrow()
                            .toFile()));
                });
            } catch (SSLException | IllegalArgumentException e) {
                throw new EventStreamException("the etcd TLS files cannot be used (" + e.getMessage() + "; expected:"
                        + " a PEM CA certificate, and a PEM client certificate with its PKCS#8 key)", e);
            }
        }
        EtcdEventStream stream = new EtcdEventStream(options, instance, clock, builder.build());
        try {
            stream.lastSequence = stream.readHead();
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        return stream;
    }

    @Override
    public String describe() {
        return "etcd " + options.endpoints().stream().map(URI::toString).collect(Collectors.joining(","))
                + " under " + options.prefix();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public CompletableFuture<Appended> append(long expectedLast, List<Proposal> proposals) {
        CompletableFuture<Appended> answer = new CompletableFuture<>();
        if (closed) {
            answer.completeExceptionally(new EventStreamUnavailableException("the etcd stream " + describe()
                    + " is closed"));
            return answer;
        }
        // One transaction at a time, in the order asked, on a thread of the stream's own: the callers' callbacks
        // run there, and may read the stream (which they must never do on etcd's client threads).
        appender.execute(() -> {
            try {
                answer.complete(appendNow(expectedLast, proposals));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /**
     * <pre>
     * etcdctl txn: compare: value("PREFIX/head") = "EXPECTED"   (for 0: version("PREFIX/head") = "0")
     *              success: put PREFIX/events/SEQUENCE …; put PREFIX/head LAST
     *              failure: get PREFIX/head
     * </pre>
     */
    private Appended appendNow(long expectedLast, List<Proposal> proposals) {
        long timestamp = clock.millis();
        List<Op> puts = new ArrayList<>(proposals.size() + 1);
        List<RecordedEvent> recorded = new ArrayList<>(proposals.size());
        List<Long> fingerprints = new ArrayList<>(proposals.size());
        long sequence = expectedLast;
        for (Proposal proposal : proposals) {
            sequence++;
            int type = EventCodec.recordType(proposal.event(), proposal.source(), proposal.instance());
            byte[] body = EventCodec.recordBody(proposal.event(), proposal.source(), proposal.instance());
            puts.add(Op.put(eventKey(sequence), ByteSequence.from(EtcdRecord.encode(timestamp, type, body)),
                    PutOption.DEFAULT));
            recorded.add(new RecordedEvent(sequence, Instant.ofEpochMilli(timestamp), proposal.event(),
                    proposal.source(), proposal.instance()));
            fingerprints.add(StreamRecord.fingerprint(sequence, timestamp, type, body));
        }
        puts.add(Op.put(head, bytes(Long.toString(sequence)), PutOption.DEFAULT));
        Cmp unmoved = expectedLast == 0 ? new Cmp(head, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(head, Cmp.Op.EQUAL, CmpTarget.value(bytes(Long.toString(expectedLast))));
        TxnResponse response = await(kv.txn().If(unmoved).Then(puts.toArray(Op[]::new))
                .Else(Op.get(head, GetOption.DEFAULT)).commit(), "append after sequence " + expectedLast);
        if (response.isSucceeded()) {
            lastSequence = Math.max(lastSequence, sequence);
            return new Appended.Written(recorded, fingerprints);
        }
        List<KeyValue> found = response.getGetResponses().isEmpty() ? List.of()
                : response.getGetResponses().get(0).getKvs();
        long last = found.isEmpty() ? 0 : parseHead(found.get(0));
        lastSequence = Math.max(lastSequence, last);
        return new Appended.Conflict(expectedLast, last);
    }

    /** Each page is one range read after the last record the reader handed. */
    @Override
    public StreamReader reader(long after) {
        long[] last = {after};
        return new StreamReader() {
            @Override
            public int read(int limit, StreamWatcher visitor) {
                int handed = hand(last[0], range(last[0], limit).getKvs(), visitor);
                last[0] += handed;
                return handed;
            }

            @Override
            public void close() {
                // nothing held between pages
            }
        };
    }

    /**
     * <pre>etcdctl get --limit LIMIT PREFIX/events/(AFTER+1) PREFIX/events0</pre>
     * etcd answers a range in key order, which is sequence order here. No sort is asked for: with one, etcd reads
     * the whole rest of the range before it applies the limit, and a page would cost as much as all that follow.
     */
    private GetResponse range(long after, int limit) {
        return await(kv.get(eventKey(after + 1), GetOption.builder()
                .withRange(bytes(eventsPrefix.substring(0, eventsPrefix.length() - 1) + "0"))
                .withLimit(limit)
                .build()), "read after sequence " + after);
    }

    /** Hands the records in {@code values}, which must be the ones right after {@code after}, in order. */
    private int hand(long after, List<KeyValue> values, StreamWatcher visitor) {
        long expected = after + 1;
        for (KeyValue value : values) {
            String key = value.getKey().toString(StandardCharsets.UTF_8);
            long sequence = sequenceOf(key);
            if (sequence != expected) {
                throw new EventStreamException("etcd key " + eventKey(expected).toString(StandardCharsets.UTF_8)
                        + " is missing (the next key is " + key + "): the stream has a gap; restore it from a backup"
                        + " of the etcd cluster");
            }
            visitor.record(EtcdRecord.decode(sequence, key, value.getValue().getBytes()));
            expected++;
        }
        return values.size();
    }

    @Override
    public AutoCloseable watch(long after, StreamWatcher watcher) {
        Following following = new Following(after, watcher);
        watches.add(following);
        following.thread.start();
        return following;
    }

    /**
     * One watch: a thread that reads what it has not handed yet, then follows etcd's watch from the revision of that
     * read, and starts again from the last record handed whenever the watch breaks, a record is missing or the
     * cluster stops answering. It also probes the cluster when idle, which keeps {@link #unavailable()} current.
     */
    private final class Following implements AutoCloseable {
        private final StreamWatcher watcher;
        private final Thread thread;
        private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
        private volatile boolean stopped;
        private long delivered;

        Following(long after, StreamWatcher watcher) {
            this.watcher = watcher;
            this.delivered = after;
            this.thread = new Thread(this::run, "etcd-watch");
            this.thread.setDaemon(true);
        }

        private void run() {
            long backoff = 100;
            while (!stopped && !closed) {
                Watch.Watcher etcdWatch = null;
                try {
                    long revision = catchUp();
                    arrivals.clear();
                    etcdWatch = client.getWatchClient().watch(bytes(eventsPrefix), WatchOption.builder()
                            .isPrefix(true).withRevision(revision + 1).build(), arrivals::add, arrivals::add);
                    backoff = 100;
                    follow();
                } catch (EventStreamUnavailableException e) {
                    LOG.debug("watch of {}: {}", describe(), e.getMessage());
                    pause(backoff);
                    backoff = Math.min(backoff * 2, 2000);
                } catch (EventStreamException e) {
                    LOG.error("watch of {} stopped: {}", describe(), e.getMessage());
                    watcher.failed(e);
                    return;
                } catch (InterruptedException e) {
                    return;
                } finally {
                    if (etcdWatch != null) {
                        etcdWatch.close();
                    }
                }
            }
        }

        /** @return the revision the cluster was at when the last page was read */
        private long catchUp() {
            while (true) {
                GetResponse page = range(delivered, PAGE);
                hand(delivered, page.getKvs(), this::deliver);
                if (!page.isMore()) {
                    return page.getHeader().getRevision();
                }
            }
        }

        private void deliver(StreamRecord record) {
            delivered = record.sequence();
            lastSequence = Math.max(lastSequence, delivered);
            watcher.record(record);
        }

        /** Hands what the watch brings until it breaks or misses something. */
        private void follow() throws InterruptedException {
            while (!stopped && !closed) {
                Object arrival = arrivals.poll(PROBE_MILLIS, TimeUnit.MILLISECONDS);
                if (arrival == null) {
                    if (readHead() > delivered) {
                        return; // the watch missed something: read it
                    }
                    continue;
                }
                if (arrival instanceof Throwable broken) {
                    LOG.debug("watch of {} broke: {}", describe(), broken.getMessage());
                    return;
                }
                for (WatchEvent event : ((WatchResponse) arrival).getEvents()) {
                    if (event.getEventType() != WatchEvent.EventType.PUT) {
                        continue;
                    }
                    String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                    long sequence = sequenceOf(key);
                    if (sequence <= delivered) {
                        continue;
                    }
                    if (sequence != delivered + 1) {
                        return;
                    }
                    deliver(EtcdRecord.decode(sequence, key, event.getKeyValue().getValue().getBytes()));
                }
            }
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                stopped = true;
            }
        }

        @Override
        public void close() {
            stopped = true;
            thread.interrupt();
            watches.remove(this);
        }
    }

    /** <pre>etcdctl get PREFIX/head</pre> (linearizable: a member without a quorum does not answer) */
    private long readHead() {
        List<KeyValue> found = await(kv.get(head), "read of the stream's head").getKvs();
        return found.isEmpty() ? 0 : parseHead(found.get(0));
    }

    private long parseHead(KeyValue value) {
        String text = value.getValue().toString(StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new EventStreamException("etcd key " + head.toString(StandardCharsets.UTF_8) + " holds \"" + text
                    + "\" (expected: the stream's last sequence, a number): it was not written by slb");
        }
    }

    @Override
    public Optional<StreamSnapshot> latestSnapshot(long atMost, Consumer<String> skipped) {
        ByteSequence key = snapshotKey();
        List<KeyValue> found = await(kv.get(key), "read of this instance's snapshot").getKvs();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        byte[] value = found.get(0).getValue().getBytes();
        String where = "etcd key " + key.toString(StandardCharsets.UTF_8);
        if (value.length < 16) {
            skipped.accept(where + " holds " + value.length + " bytes (expected: a snapshot); ignored");
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long sequence = buffer.getLong(0);
        if (sequence > atMost) {
            skipped.accept(where + " is at sequence " + sequence + ", after " + atMost + "; ignored");
            return Optional.empty();
        }
        return Optional.of(new StreamSnapshot(sequence, buffer.getLong(8), Arrays.copyOfRange(value, 16,
                value.length), where));
    }

    /** <pre>etcdctl put PREFIX/snapshots/INSTANCE …</pre> */
    @Override
    public void saveSnapshot(StreamSnapshot snapshot) {
        if (snapshot.body().length > MAX_SNAPSHOT_BYTES) {
            throw new EventStreamException("a snapshot of " + snapshot.body().length + " bytes is more than etcd"
                    + " takes in one value (at most " + MAX_SNAPSHOT_BYTES + "); not kept: a start replays the"
                    + " stream instead");
        }
        ByteBuffer value = ByteBuffer.allocate(16 + snapshot.body().length);
        value.putLong(snapshot.sequence()).putLong(snapshot.follows()).put(snapshot.body());
        await(kv.put(snapshotKey(), ByteSequence.from(value.array())), "write of a snapshot");
    }

    private ByteSequence snapshotKey() {
        return bytes(options.prefix() + "snapshots/" + instance);
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /**
     * @return the answer of a request to the cluster
     * @throws EventStreamUnavailableException when it does not come within the timeout, or the cluster refuses
     */
    private <T> T await(CompletableFuture<T> request, String what) {
        try {
            T answer = request.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            unavailable = null;
            return answer;
        } catch (TimeoutException e) {
            request.cancel(true);
            throw unavailable("etcd did not answer the " + what + " within " + options.timeout().toMillis()
                    + " ms (no quorum, or no member reachable at " + endpoints() + ")", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw unavailable("etcd refused the " + what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("the " + what + " was interrupted", e);
        }
    }

    private EventStreamUnavailableException unavailable(String message, Throwable cause) {
        if (!closed) {
            unavailable = message;
        }
        return new EventStreamUnavailableException(message, cause);
    }

    private String endpoints() {
        return options.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    private ByteSequence eventKey(long sequence) {
        return bytes(eventsPrefix + String.format("%020d", sequence));
    }

    private long sequenceOf(String key) {
        try {
            return Long.parseLong(key.substring(eventsPrefix.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new EventStreamException("etcd key " + key + " is not a record of the stream (expected: "
                    + eventsPrefix + " and twenty digits)");
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** Waits for the append under way, stops the watches and disconnects. */
    @Override
    public void close() {
        appender.shutdown();
        try {
            appender.awaitTermination(options.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        List.copyOf(watches).forEach(Following::close);
        client.close();
    }
}
