package io.statelesslb.daemon.server;

import io.statelesslb.config.Configuration;
import io.statelesslb.daemon.feed.EventFeed;
import io.statelesslb.daemon.http.HttpApi;
import io.statelesslb.daemon.metrics.DaemonMetrics;
import io.statelesslb.daemon.pipeline.Pipeline;
import io.statelesslb.daemon.pipeline.PipelineRefusedException;
import io.statelesslb.daemon.store.EventJournal;
import io.statelesslb.daemon.store.EventStore;
import io.statelesslb.daemon.store.Submission;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.state.State;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.nfqueue.dataplane.KernelDataplane;
import io.statelesslb.sim.SimulatedDataplane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;

/**
 * The running daemon: the event store on its data directory, the backend, the pipeline between them, the event
 * feed for watchers, metrics, and the HTTP API. {@link #start} recovers the log, brings the dataplane to the
 * recovered state, loads the configuration file, and listens; {@link #close} stops listening and drains.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /** How often a backend that observes the machine itself is asked (the kernel's interfaces and neighbours). */
    private static final Duration OBSERVE_EVERY = Duration.ofSeconds(1);

    /** Recent events kept in memory for watchers that resume; older ones are read back from the log. */
    private static final int FEED_RETAINED = 10_000;

    private final DaemonOptions options;
    private final Dataplane backend;
    private final EventStore store;
    private final EventFeed feed;
    private final DaemonMetrics metrics;
    private final Scheduler scheduler;
    private final Pipeline pipeline;
    private final ConcurrentSkipListMap<Long, Long> recordedAtNanos = new ConcurrentSkipListMap<>();
    private volatile Pipeline.Report lastReport;
    private volatile long appliedSequence = -1;
    private volatile long readyAfter = Long.MAX_VALUE;
    private volatile DisposableServer server;
    private volatile Disposable observer;

    private Daemon(DaemonOptions options, Dataplane backend, EventStore store) {
        this.options = options;
        this.backend = backend;
        this.store = store;
        this.feed = new EventFeed(options.dataDir(), store.sequence(), FEED_RETAINED, FEED_RETAINED);
        this.scheduler = Schedulers.newSingle("pipeline");
        this.pipeline = Pipeline.start(journal(), backend, options.pipeline(), scheduler);
        this.metrics = new DaemonMetrics(pipeline::queued, store::sequence, () -> appliedSequence, feed::watchers,
                backend::packetsDecided);
        pipeline.reports().subscribe(this::reported);
    }

    /**
     * Starts a daemon: checks the options, opens the store (recovering the log), brings the backend to the
     * recovered state, submits what the configuration file changes, and starts listening.
     *
     * @throws IllegalArgumentException when an option is unusable (named in the message)
     * @throws io.statelesslb.config.ConfigException when the configuration file has errors
     */
    public static Daemon start(DaemonOptions options) {
        String token = token(options); // an exposed listener without a token is refused before the kernel is touched
        return start(options, backend(options), token);
    }

    /**
     * Starts a daemon on a backend of the caller's (for embedding, and tests with a dataplane that fails on
     * purpose); {@code options.backend()} is not consulted.
     */
    public static Daemon start(DaemonOptions options, Dataplane backend) {
        return start(options, backend, token(options));
    }

    private static Daemon start(DaemonOptions options, Dataplane backend, String token) {
        // A file that does not parse is refused before anything is opened.
        Configuration configuration = options.config() == null ? null : Configuration.load(options.config());
        EventStore store = EventStore.open(options.dataDir(), options.store(), options.clock());
        Daemon daemon = new Daemon(options, backend, store);
        try {
            LOG.info("{}; state at sequence {}", store.recovery(), store.sequence());
            store.warnings().forEach(warning -> LOG.warn("{}", warning));
            store.replayRejections().forEach(rejection -> LOG.warn("logged event #{} was rejected on replay: {}",
                    rejection.sequence(), rejection.problems().mkString("; ")));
            backend.follow(Machine.of(store.state()));
            if (backend.observesMachine()) {
                // The backend observes the machine itself: ask it now, then every OBSERVE_EVERY, on a thread of its
                // own (each observation waits for the log, which the lane's thread must never do).
                daemon.observeMachine();
                Scheduler observing = Schedulers.newBoundedElastic(1, 16, "machine-observer");
                daemon.observer = Flux.interval(OBSERVE_EVERY, observing)
                        .doFinally(signal -> observing.dispose())
                        .subscribe(tick -> daemon.observeMachine());
            }
            daemon.pipeline.reconcile(store.sequence(), store.state());
            if (configuration != null) {
                daemon.applyConfiguration(configuration);
            }
            daemon.readyAfter = store.sequence();
            daemon.server = HttpApi.bind(daemon, options.host(), options.port(), token, options.maxBodyBytes());
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    private static Dataplane backend(DaemonOptions options) {
        if ("sim".equals(options.backend())) {
            return new SimulatedDataplane();
        } else if ("kernel".equals(options.backend())) {
            if (!JnaNetlinkSocket.isAvailable()) {
                throw new IllegalArgumentException("--backend kernel: netlink is not available here ("
                        + JnaNetlinkSocket.unavailabilityCause().getMessage() + "); use --backend sim");
            }
            try {
                return KernelDataplane.open(options.netns() == null ? null : java.nio.file.Path.of("/run/netns",
                        options.netns()), options.queues());
            } catch (NetlinkException e) {
                throw new IllegalArgumentException("--backend kernel: the kernel refused to be set up (" + e.getMessage()
                        + "; the kernel backend needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN for --netns)", e);
            }
        }
        throw new IllegalArgumentException("--backend " + options.backend() + " (expected: sim or kernel)");
    }

    /** @return the token mutating requests must carry, or null when none is needed */
    private static String token(DaemonOptions options) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(options.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--listen " + options.host() + ":" + options.port() + ": unknown host"
                    + " (expected: an address of this machine, such as 127.0.0.1)");
        }
        if (options.tokenFile() == null) {
            if (!loopback) {
                throw new IllegalArgumentException("--listen " + options.host() + ":" + options.port() + " is not a"
                        + " loopback address: --token-file is required, so that only holders of the token can"
                        + " change the load balancer");
            }
            return null;
        }
        try {
            String token = Files.readString(options.tokenFile(), StandardCharsets.UTF_8).strip();
            if (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--token-file " + options.tokenFile() + " holds a token of "
                        + token.length() + " characters (expected: one line of at least 16 characters, no spaces)");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + options.tokenFile() + " cannot be read: " + e);
        }
    }

    /** The store wrapped so that every recorded event reaches the feed, the metrics and the backend, in order. */
    private EventJournal journal() {
        return event -> {
            CompletableFuture<Submission> submitted = store.submit(event);
            return submitted.thenApply(submission -> {
                if (submission instanceof Submission.Recorded recorded) {
                    recordedAtNanos.put(recorded.event().sequence(), System.nanoTime());
                    metrics.recorded(event);
                    if (event instanceof ObservationEvent) {
                        backend.follow(Machine.of(recorded.state()));
                    }
                    feed.publish(recorded.event());
                } else {
                    metrics.rejected(event);
                }
                return submission;
            });
        };
    }

    /** Submits what the machine changed since the state last observed it. */
    private void observeMachine() {
        try {
            for (ObservationEvent event : backend.observe(store.state())) {
                Submission answer = submit(event).block(Duration.ofSeconds(10));
                if (answer instanceof Submission.Rejected rejected) {
                    LOG.warn("observation {} rejected: {}", event, rejected.problems().mkString("; "));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("observing the machine failed: {}", e.getMessage());
        }
    }

    private void reported(Pipeline.Report report) {
        lastReport = report;
        Long recordedAt = recordedAtNanos.get(report.sequence());
        Duration since = recordedAt == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - recordedAt);
        metrics.reconciled(report, since);
        if (report.applied()) {
            appliedSequence = Math.max(appliedSequence, report.sequence());
            recordedAtNanos.headMap(report.sequence(), true).clear();
        } else {
            LOG.warn("apply failed after {} attempts, retrying: {}", report.attempts(), report.result());
        }
    }

    /**
     * Queues an event for the log and the dataplane.
     *
     * @return the journal's answer; an error when the pipeline is busy or closing
     */
    public Mono<Submission> submit(Event event) {
        return pipeline.submit(event).doOnError(PipelineRefusedException.class, refused -> metrics.refused());
    }

    /**
     * Submits the events that make the state match {@code configuration}, in order, stopping at the first that is
     * refused.
     *
     * @return each event's answer
     * @throws io.statelesslb.config.ConfigException when the configuration does not fit the state
     */
    public List<Submission> applyConfiguration(Configuration configuration) {
        List<Submission> answers = new ArrayList<>();
        for (Event event : configuration.changesFrom(store.state())) {
            Submission answer = submit(event).block(Duration.ofSeconds(30));
            answers.add(answer);
            if (!(answer instanceof Submission.Recorded)) {
                break;
            }
        }
        return answers;
    }

    /**
     * Loads the configuration file again (on SIGHUP) and submits what changed.
     *
     * @return each event's answer (empty when nothing changed)
     * @throws IllegalStateException when the daemon runs without a configuration file
     */
    public List<Submission> reload() {
        if (options.config() == null) {
            throw new IllegalStateException("no configuration file to reload (start with --config FILE)");
        }
        return applyConfiguration(Configuration.load(options.config()));
    }

    /**
     * @return completes when the dataplane matches the plan of a state at or after {@code sequence}
     */
    public Mono<Pipeline.Report> applied(long sequence) {
        return pipeline.reports().filter(report -> report.applied() && report.sequence() >= sequence).next();
    }

    /** Traces a packet and counts it against its flow and target. */
    public PacketTrace trace(byte[] packet, String ingress) {
        PacketTrace trace = backend.trace(packet, ingress);
        int target = 0;
        if (trace.fwmark() != 0 && trace.stream() != null) {
            target = trace.fwmark() - store.state().fwmarkOffsets().get(trace.stream()).getOrElse(trace.fwmark());
        }
        metrics.traced(trace, target);
        return trace;
    }

    /** @return why the daemon cannot take writes, if it cannot */
    public Optional<String> unhealthy() {
        return store.failure().map(failure -> "the event log stopped accepting writes: " + failure.getMessage());
    }

    /** @return why the dataplane does not yet match the state, if it does not */
    public Optional<String> notReady() {
        Pipeline.Report report = lastReport;
        if (report != null && !report.applied()) {
            return Optional.of("apply failing after " + report.attempts() + " attempts: " + report.result());
        }
        if (appliedSequence < readyAfter) {
            return Optional.of("starting: the dataplane is being brought to the state at sequence "
                    + Math.min(readyAfter, store.sequence()));
        }
        return unhealthy();
    }

    /** @return the state after every acknowledged event */
    public State state() {
        return store.state();
    }

    /** @return the sequence of the last acknowledged event */
    public long sequence() {
        return store.sequence();
    }

    /** @return the sequence whose plan the dataplane matches (-1 before the first apply) */
    public long appliedSequence() {
        return appliedSequence;
    }

    /** @return the last reconciliation's report, if any */
    public Optional<Pipeline.Report> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    public Dataplane backend() {
        return backend;
    }

    public EventFeed feed() {
        return feed;
    }

    public DaemonMetrics metrics() {
        return metrics;
    }

    public int queued() {
        return pipeline.queued();
    }

    /** @return the address the API listens on */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /**
     * Ends the watches, stops listening, drains the pipeline (queued events are logged and applied, within the drain timeout), and
     * closes the log.
     */
    @Override
    public void close() {
        if (observer != null) {
            observer.dispose();
        }
        feed.close(); // watches end cleanly, so their connections close with the server
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
        boolean drained = pipeline.drain(options.drainTimeout());
        if (!drained) {
            LOG.warn("the pipeline did not drain within {}; the next start reconciles again", options.drainTimeout());
        }
        store.close();
        backend.close();
        scheduler.dispose();
        LOG.info("stopped at sequence {} (dataplane at {})", store.sequence(), appliedSequence);
    }
}
