package io.statelesslb.controller;

import io.statelesslb.api.codec.EventType;
import io.statelesslb.controller.feed.EventFeed;
import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.controller.pipeline.PipelineRefusedException;
import io.statelesslb.controller.store.EventJournal;
import io.statelesslb.controller.store.EventStore;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.PacketCounters;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.event.ControllerRecord;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The controller of one trench: the event store on its data directory, the reactive pipeline from it to a
 * dataplane, the feed of recorded events, and, for a backend that observes its machine, a loop that asks it what
 * changed. Opening recovers the log and brings the dataplane to the recovered state; closing drains.
 *
 * <p>The daemon ({@code slb run}) serves one behind its HTTP API; {@code slb demo} runs one on the simulator.
 */
public final class TrenchController implements Controller, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrenchController.class);

    /** Recent events kept in memory for watchers that resume; older ones are read back from the log. */
    private static final int FEED_RETAINED = 10_000;

    /** How long a submission from inside the controller (an observation, a configuration) waits for its answer. */
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(30);
    /** How often the latest state is rechecked while someone waits for it to be applied. */
    private static final Duration WAITED_RECHECK = Duration.ofSeconds(1);

    private final ControllerOptions options;
    private final Dataplane dataplane;
    private final ControllerListener listener;
    private final EventStore store;
    private final EventFeed feed;
    private final Scheduler scheduler;
    private final Pipeline pipeline;
    /** When each recorded sequence was recorded, until the dataplane has it: the apply latency's start. */
    private final ConcurrentSkipListMap<Long, Long> recordedAtNanos = new ConcurrentSkipListMap<>();
    private volatile Pipeline.Report lastReport;
    private volatile long appliedSequence = -1;
    private volatile long readyAfter = Long.MAX_VALUE;
    private volatile Disposable observer;
    private volatile Scheduler observing;
    /** Whether an observation asked for by a kernel notification is still to run: a burst asks once. */
    private final AtomicBoolean observationPending = new AtomicBoolean();

    private TrenchController(ControllerOptions options, Dataplane dataplane, ControllerListener listener,
                             EventStore store) {
        this.options = options;
        this.dataplane = dataplane;
        this.listener = listener;
        this.store = store;
        this.feed = new EventFeed(store.stream(), store.sequence(), FEED_RETAINED, FEED_RETAINED);
        this.scheduler = Schedulers.newSingle("pipeline");
        this.pipeline = Pipeline.start(journal(), dataplane, options.pipeline(), scheduler);
        pipeline.reports().subscribe(this::reported);
        // From now on, what other instances record reaches the feed and the pipeline as this one's does.
        store.follow(this::followed);
    }

    /**
     * Opens the controller: recovers the event log, tells the dataplane what the log says of its machine, starts
     * observing the machine when the backend does that itself, and reconciles the dataplane with the recovered
     * state. Readiness waits for {@link #readyOnceApplied}.
     *
     * @throws io.statelesslb.eventlog.EventLogCorruptedException when the log is corrupt before its tail
     * @throws io.statelesslb.eventlog.EventLogException         when the data directory cannot be used
     */
    public static TrenchController open(ControllerOptions options, Dataplane dataplane, ControllerListener listener) {
        return open(options, EventStore.open(options.dataDir(), options.store(), options.clock()), dataplane,
                listener);
    }

    /**
     * Opens the controller on a store already open (its lock taken, its log recovered): a daemon takes the lock
     * before anything else, so that a second one on the same directory is refused before it touches the dataplane.
     * The controller owns the store and the dataplane from then on: when opening fails, both are closed.
     */
    public static TrenchController open(ControllerOptions options, EventStore store, Dataplane dataplane,
                                        ControllerListener listener) {
        TrenchController controller;
        try {
            controller = new TrenchController(options, dataplane, listener, store);
        } catch (RuntimeException e) {
            store.close();
            dataplane.close();
            throw e;
        }
        try {
            LOG.info("{}; state at sequence {}", store.recovery().map(Object::toString).orElse(store.describe()),
                    store.sequence());
            store.warnings().forEach(warning -> LOG.warn("{}", warning));
            dataplane.follow(Machine.of(store.state()));
            // Observations (the machine's, the routing daemon's sessions) are asked for whenever the dataplane tells
            // of a change, on a thread of their own: each waits for the log, which the lane's thread must never do.
            controller.observing = Schedulers.newBoundedElastic(1, 16, "machine-observer");
            if (dataplane.observesMachine()) {
                // Ask now, and every observeEvery as well.
                controller.observeMachine();
                controller.observer = Flux.interval(options.observeEvery(), controller.observing)
                        .subscribe(tick -> controller.observeMachine());
            }
            dataplane.onChange(controller::changedBehindTheBack);
            controller.pipeline.reconcile(store.sequence(), store.state());
            return controller;
        } catch (RuntimeException e) {
            controller.close();
            throw e;
        }
    }

    /**
     * The dataplane is ready once it matches the state at {@code sequence} (what the log and the configuration file
     * held at start); until then {@link ControllerStatus#notReady()} says it is starting.
     */
    public void readyOnceApplied(long sequence) {
        readyAfter = sequence;
    }

    /** The store, so that every recorded event reaches the feed, the listener and the machine's model, in order. */
    private EventJournal journal() {
        return new EventJournal() {
            @Override
            public String instance() {
                return store.instance();
            }

            @Override
            public CompletableFuture<Submission> submit(Command command, String source) {
                return recorded(command, store.submit(command, source));
            }
        };
    }

    /** What the store answered, told to the listener, the machine's model and the feed once recorded. */
    private CompletableFuture<Submission> recorded(Command command, CompletableFuture<Submission> submitted) {
        return submitted.thenApply(submission -> submission.fold(problems -> {
            listener.rejected(command);
            return submission;
        }, unchanged -> {
            listener.unchanged(command);
            return submission;
        }, recorded -> {
            recordedAtNanos.put(recorded.event().sequence(), System.nanoTime());
            listener.recorded(recorded.event());
            if (recorded.event().event() instanceof ObservationEvent) {
                dataplane.follow(Machine.of(recorded.state()));
            } else {
                // A new conduit, gateway or target makes other interfaces and neighbours matter.
                observeSoon();
            }
            feed.publish(recorded.event());
            return submission;
        }));
    }

    /**
     * An event this controller did not submit reached the state (another instance of the trench recorded it): it
     * goes where a recorded one goes, and the dataplane is brought to the state after it.
     */
    private void followed(RecordedEvent event, State state) {
        recordedAtNanos.put(event.sequence(), System.nanoTime());
        listener.recorded(event);
        if (event.event() instanceof ObservationEvent) {
            if (event.foldedBy(store.instance())) {
                dataplane.follow(Machine.of(state));
            }
        } else {
            observeSoon();
        }
        feed.publish(event);
        if (!(event.event() instanceof ControllerRecord)) {
            pipeline.reconcile(event.sequence(), state);
        }
    }

    /**
     * The dataplane or the machine changed other than through an apply. A backend that observes its machine is
     * asked first what changed (a link down, a neighbour failed), so that the reconcile that follows works from a
     * state that knows it; then the latest state is reconciled again from what is read back.
     */
    private void changedBehindTheBack() {
        if (observing == null) {
            pipeline.recheck();
        } else {
            observeSoon();
        }
    }

    /** Observes the machine on the observer's thread, then rechecks; a burst of asks observes once. */
    private void observeSoon() {
        Scheduler observer = observing;
        if (observer != null && observationPending.compareAndSet(false, true)) {
            observer.schedule(() -> {
                observationPending.set(false);
                observeMachine();
                pipeline.recheck();
            });
        }
    }

    /** Submits what the machine changed since the state last observed it. */
    private void observeMachine() {
        try {
            for (ObservationCommand report : dataplane.observe(store.state())) {
                Submission answer = submit(report).block(SUBMIT_TIMEOUT);
                if (answer instanceof Submission.Rejected rejected) {
                    LOG.warn("observation {} rejected: {}", EventType.ofCommand(report).typeName(),
                            rejected.problems().mkString("; "));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("observing the machine failed: {}", e.getMessage());
        }
    }

    private void reported(Pipeline.Report report) {
        lastReport = report;
        Long recordedAt = recordedAtNanos.get(report.sequence());
        listener.reconciled(report, recordedAt == null ? Duration.ZERO
                : Duration.ofNanos(System.nanoTime() - recordedAt));
        if (report.applied()) {
            appliedSequence = Math.max(appliedSequence, report.sequence());
            recordedAtNanos.headMap(report.sequence(), true).clear();
        } else {
            LOG.warn("apply failed after {} attempts, retrying: {}", report.attempts(), report.result());
        }
    }

    @Override
    public Mono<Submission> submit(Command command, String source) {
        return pipeline.submit(command, source).doOnError(PipelineRefusedException.class,
                refused -> listener.refused(command));
    }

    @Override
    public List<Submission> submitAll(List<Command> commands, String source) {
        List<Submission> answers = new ArrayList<>();
        for (Command command : commands) {
            Submission answer = submit(command, source).block(SUBMIT_TIMEOUT);
            answers.add(answer);
            if (answer instanceof Submission.Rejected) {
                break;
            }
        }
        return answers;
    }

    /**
     * While someone waits, the latest state is rechecked every second: a reconcile whose report does not come (one
     * that failed other than by the dataplane refusing an operation is not retried) would otherwise keep the waiter
     * until the next change or periodic recheck, forever where those are off.
     */
    @Override
    public Mono<Pipeline.Report> applied(long sequence) {
        return Mono.using(() -> Flux.interval(WAITED_RECHECK).subscribe(tick -> pipeline.recheck()),
                nudging -> pipeline.reports().filter(report -> report.applied() && report.sequence() >= sequence)
                        .next(),
                Disposable::dispose);
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        return dataplane.trace(packet, ingress);
    }

    @Override
    public AutoCloseable traceLive(LiveTraceRequest request, Consumer<LiveTrace> sink) {
        return dataplane.traceLive(request, sink);
    }

    @Override
    public ControllerStatus status() {
        Pipeline.Report report = lastReport;
        long applied = appliedSequence;
        Optional<String> unhealthy = store.unavailable();
        Optional<String> notReady;
        if (report != null && !report.applied()) {
            notReady = Optional.of("apply failing after " + report.attempts() + " attempts: " + report.result());
        } else if (applied < readyAfter) {
            notReady = Optional.of("starting: the dataplane is being brought to the state at sequence "
                    + Math.min(readyAfter, store.sequence()));
        } else {
            notReady = unhealthy;
        }
        return new ControllerStatus(dataplane.name(), store.sequence(), applied, notReady, unhealthy,
                pipeline.queued(), feed.watchers(), Optional.ofNullable(report), store.describe(),
                Optional.ofNullable(store.instance()));
    }

    @Override
    public State state() {
        return store.state();
    }

    /** @return the sequence of the last acknowledged event */
    public long sequence() {
        return store.sequence();
    }

    @Override
    public EventFeed feed() {
        return feed;
    }

    @Override
    public DataplaneSpec actual() {
        return dataplane.actual();
    }

    @Override
    public List<Rendering> render() {
        return dataplane.render();
    }

    @Override
    public List<GatewaySession> gatewaySessions() {
        return dataplane.gatewaySessions();
    }

    @Override
    public boolean acceptsMachineObservations() {
        return !dataplane.observesMachine();
    }

    @Override
    public PacketCounters counters() {
        return dataplane.counters();
    }

    /** @return commands waiting for the log */
    public int queued() {
        return pipeline.queued();
    }

    /**
     * Stops observing, ends the watches, drains the pipeline (queued commands are decided, logged and applied,
     * within the drain timeout), closes the log and releases the dataplane.
     */
    @Override
    public void close() {
        if (observer != null) {
            observer.dispose();
        }
        feed.close(); // watches end cleanly, so their connections can close
        if (!pipeline.drain(options.drainTimeout())) {
            LOG.warn("the pipeline did not drain within {}; the next start reconciles again", options.drainTimeout());
        }
        store.close();
        dataplane.close();
        // Only now, when nothing records or reports any more: events drained above still ask for observations, and
        // a scheduler disposed under them would keep the log's writer spinning (a SIGTERM under load never ended).
        Scheduler observingNow = observing;
        observing = null;
        if (observingNow != null) {
            observingNow.dispose();
        }
        scheduler.dispose();
        LOG.info("stopped at sequence {} (dataplane at {})", store.sequence(), appliedSequence);
    }
}
