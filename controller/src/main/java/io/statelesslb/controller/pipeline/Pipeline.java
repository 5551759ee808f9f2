package io.statelesslb.controller.pipeline;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.controller.store.EventJournal;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RecordApplyFailure;
import io.statelesslb.domain.command.RecordApplyRecovery;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.ControllerRecord;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.state.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The controller's lane: commands from every source are submitted to the journal in order (decided, their events
 * durable and evolved), and the states they lead to are reconciled with the dataplane, coalesced so that a burst
 * within the window costs one plan, one diff and one apply (one Maglev repopulate per stream).
 *
 * <p>A failed apply is retried with backoff from the state it left, for as long as it keeps failing; after
 * {@link PipelineOptions#retries()} retries the failure is reported and recorded as an {@link ApplyFailed} event,
 * and the first success after it as {@link ApplyRecovered}. A newer state supersedes one still being retried.
 * Every reconcile starts from what the dataplane reads back; the latest state is reconciled again on
 * {@link #recheck()} (the dataplane or the machine changed behind the controller's back) and every
 * {@link PipelineOptions#recheckEvery()} as a backstop. Operations that repair a change the controller did not make
 * are recorded as {@link DriftObserved}. Time comes from the injected scheduler.
 */
public final class Pipeline implements AutoCloseable {

    /** Appends waiting for their fsync at once; the journal commits them as one group. */
    static final int IN_FLIGHT = 256;

    /**
     * What one reconciliation did.
     *
     * @param sequence the sequence of the last event the reconciled state includes
     * @param ops      operations handed to the dataplane over all attempts, in order
     * @param result   the dataplane's answer: applied, or the failure that was retried
     * @param attempts how many times the apply was tried
     */
    public record Report(long sequence, List<Op> ops, ApplyResult result, int attempts) {

        public Report {
            ops = List.copyOf(ops);
        }

        /** @return whether the dataplane now matches the plan of the state at {@code sequence} */
        public boolean applied() {
            return result instanceof ApplyResult.Applied;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** The source of what the pipeline records itself: drift, apply failures and recoveries. */
    private static final String CONTROLLER = "controller";

    private record Pending(Command command, String source, Sinks.One<Submission> reply) {
    }

    /** A state to bring the dataplane to, and the sequence of the last event it includes. */
    private record Desired(long sequence, State state) {
    }

    private final Sinks.Many<Pending> inbox;
    private final Sinks.Many<Desired> resyncs = Sinks.many().unicast().onBackpressureBuffer();
    /** Rechecks asked for; coalesced by the lane's window like everything else, so a burst costs one reconcile. */
    private final Sinks.Many<Boolean> nudges = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Report> reports = Sinks.many().replay().limit(256);
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private final Sinks.Empty<Void> closing = Sinks.empty();
    private volatile Desired latest;
    private final Disposable lane;
    private RecordApplyFailure lastRecordedFailure;

    private Pipeline(EventJournal journal, Dataplane dataplane, PipelineOptions options, Scheduler scheduler) {
        this.inbox = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(options.queueCapacity()));
        Reconciler reconciler = new Reconciler(dataplane, journal.instance());
        // Each event is handed to the journal as it leaves the queue, in order; the journal's answers come back in
        // that order too, and several appends share one fsync.
        Flux<Desired> recorded = inbox.asFlux()
                .flatMapSequential(pending -> Mono.fromFuture(submitTo(journal, pending.command(), pending.source()))
                        .doOnNext(submission -> log(submission, pending))
                        .doOnNext(submission -> pending.reply().tryEmitValue(submission))
                        .doOnError(error -> pending.reply().tryEmitError(error))
                        .onErrorResume(error -> Mono.empty()), IN_FLIGHT)
                .ofType(Submission.Recorded.class)
                // How the dataplane took the operations does not change what it should be.
                .filter(submission -> !(submission.event().event() instanceof ControllerRecord))
                .map(submission -> new Desired(submission.event().sequence(), submission.state()));
        Flux<Desired> rechecks = options.recheckEvery().isZero() ? Flux.empty()
                : Flux.interval(options.recheckEvery(), options.recheckEvery(), scheduler)
                        .takeUntilOther(closing.asMono())
                        .filter(tick -> latest != null)
                        .map(tick -> latest);
        this.lane = Flux.merge(recorded, resyncs.asFlux())
                .doOnNext(desired -> latest = desired)
                .mergeWith(rechecks)
                .mergeWith(nudges.asFlux().filter(nudge -> latest != null).map(nudge -> latest))
                .sample(Flux.interval(options.coalescing(), options.coalescing(), scheduler))
                .switchMap(desired -> reconcile(reconciler, desired, options, scheduler))
                .doFinally(signal -> drained.tryEmitEmpty())
                .subscribe(this::publish);
    }

    /**
     * Starts the lane.
     *
     * @param scheduler the time for coalescing and backoff (a virtual one in tests)
     */
    public static Pipeline start(EventJournal journal, Dataplane dataplane, PipelineOptions options,
                                 Scheduler scheduler) {
        return new Pipeline(journal, dataplane, options, scheduler);
    }

    /** One line per change the log records, with who asked for it; unchanged and rejected ones at debug level. */
    private static void log(Submission submission, Pending pending) {
        submission.fold(problems -> {
            LOG.debug("rejected {} from {}: {}", EventType.ofCommand(pending.command()).typeName(), pending.source(),
                    problems.mkString("; "));
            return null;
        }, unchanged -> {
            LOG.debug("unchanged {} from {}: the state at #{} holds it", EventType.ofCommand(pending.command())
                    .typeName(), pending.source(), unchanged.sequence());
            return null;
        }, recorded -> {
            LOG.info("#{} {} from {}", recorded.event().sequence(), EventCodec.typedTree(recorded.event().event()),
                    pending.source());
            return null;
        });
    }

    private static CompletableFuture<Submission> submitTo(EventJournal journal, Command command, String source) {
        try {
            return journal.submit(command, source);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Queues a command. Safe to call from any thread.
     *
     * @param source who asks for it, for the log line of the change it records
     * @return the journal's answer (recorded, or rejected and not logged); an error when the queue is full or the
     *         pipeline is closed
     */
    public Mono<Submission> submit(Command command, String source) {
        Sinks.One<Submission> reply = Sinks.one();
        Sinks.EmitResult queued;
        synchronized (inbox) {
            queued = inbox.tryEmitNext(new Pending(command, source, reply));
        }
        if (queued.isFailure()) {
            return Mono.error(new PipelineRefusedException(queued == Sinks.EmitResult.FAIL_OVERFLOW
                    ? "pipeline busy: the queue of changes waiting for the log is full (try again)"
                    : "pipeline closed: no more changes are accepted"));
        }
        return reply.asMono();
    }

    /**
     * Brings the dataplane to {@code state} without an event: at start-up, after a restart, or when drift is
     * suspected. Coalesced with recorded states like any other.
     *
     * @param sequence the sequence of the last event {@code state} includes
     */
    public void reconcile(long sequence, State state) {
        synchronized (inbox) {
            resyncs.tryEmitNext(new Desired(sequence, state));
        }
    }

    /**
     * Reconciles the latest state again, from what the dataplane reads back: something may have changed behind the
     * controller's back (a kernel notification). Safe to call from any thread, as often as notifications come.
     */
    public void recheck() {
        synchronized (inbox) {
            nudges.tryEmitNext(Boolean.TRUE);
        }
    }

    /** @return every reconciliation's report (the last 256 are replayed to late subscribers) */
    public Flux<Report> reports() {
        return reports.asFlux();
    }

    /** @return commands queued and not yet handed to the journal */
    public int queued() {
        return inbox.scanOrDefault(Scannable.Attr.BUFFERED, 0);
    }

    private Mono<Report> reconcile(Reconciler reconciler, Desired desired, PipelineOptions options,
                                   Scheduler scheduler) {
        long sequence = desired.sequence();
        int[] attempts = {0};
        List<Op> ops = new ArrayList<>();
        return Mono.fromCallable(() -> {
                    attempts[0]++;
                    Reconciler.Reconciliation done = reconciler.reconcile(desired.state());
                    ops.addAll(done.ops());
                    // Drift is recorded for the audit trail, while the very apply repairs it.
                    done.drift().forEach(repair -> submit(new RecordDrift(repair.describe()), CONTROLLER)
                            .subscribe(recorded -> { }, error -> { }));
                    if (done.result() instanceof ApplyResult.Failed failed) {
                        throw new ApplyFailedException(failed);
                    }
                    return new Report(sequence, ops, done.result(), attempts[0]);
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, options.firstBackoff())
                        .maxBackoff(options.maxBackoff())
                        .scheduler(scheduler)
                        .filter(ApplyFailedException.class::isInstance)
                        .doBeforeRetry(signal -> {
                            if (signal.totalRetries() == options.retries()) {
                                ApplyFailedException failure = (ApplyFailedException) signal.failure();
                                publish(new Report(sequence, ops, failure.failed, attempts[0]));
                            }
                        }))
                .onErrorResume(error -> Mono.just(new Report(sequence, ops,
                        ApplyResult.Failed.whole(error.getMessage() != null ? error.getMessage() : error.toString()),
                        attempts[0])));
    }

    private void publish(Report report) {
        reports.tryEmitNext(report);
        if (report.result() instanceof ApplyResult.Failed failed) {
            String operation = failed.op() == null ? "apply" : failed.op().describe();
            RecordApplyFailure failure = new RecordApplyFailure(operation, failed.error(), report.attempts());
            // The same failure again (a newer state stuck at the same operation) is not news for the log.
            if (lastRecordedFailure == null || !lastRecordedFailure.operation().equals(operation)
                    || !lastRecordedFailure.error().equals(failed.error())) {
                lastRecordedFailure = failure;
                submit(failure, CONTROLLER).subscribe(recorded -> { }, error -> { });
            }
        } else if (lastRecordedFailure != null) {
            lastRecordedFailure = null;
            submit(new RecordApplyRecovery(report.ops().size()), CONTROLLER).subscribe(recorded -> { }, error -> { });
        }
    }

    /** Stops accepting commands; those queued are still decided, logged and reconciled before the lane ends. */
    @Override
    public void close() {
        synchronized (inbox) {
            inbox.tryEmitComplete();
            resyncs.tryEmitComplete();
            nudges.tryEmitComplete();
            closing.tryEmitEmpty();
        }
    }

    /**
     * Closes and waits for the queued events to be logged and reconciled.
     *
     * @return whether the lane finished within {@code timeout} (if not, it is disposed: an apply still being
     *         retried is abandoned, and the next start reconciles again)
     */
    public boolean drain(Duration timeout) {
        close();
        try {
            drained.asMono().block(timeout);
            return true;
        } catch (IllegalStateException timedOut) {
            dispose();
            return false;
        }
    }

    /** Disposes the lane at once (for tests and shutdown after close). */
    public void dispose() {
        lane.dispose();
    }

    /** Carries a failed apply through the retry operator. */
    private static final class ApplyFailedException extends RuntimeException {
        final ApplyResult.Failed failed;

        ApplyFailedException(ApplyResult.Failed failed) {
            super(failed.error(), null, false, false);
            this.failed = failed;
        }
    }
}
