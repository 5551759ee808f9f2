package io.statelesslb.daemon.pipeline;

import io.statelesslb.daemon.store.EventJournal;
import io.statelesslb.daemon.store.Submission;
import io.statelesslb.domain.dataplane.ApplyResult;
import io.statelesslb.domain.dataplane.Dataplane;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.state.State;
import java.util.concurrent.ArrayBlockingQueue;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The controller's lane: events from every source are submitted to the journal one at a time, in order (durable
 * and folded), and the states they lead to are reconciled with the dataplane, coalesced so that a burst within
 * the window costs one plan, one diff and one apply (one Maglev repopulate per stream). A failed apply is retried
 * with backoff from the state it left; each outcome is reported. Time comes from the injected scheduler.
 */
public final class Pipeline implements AutoCloseable {

    /** What one reconciliation did: the operations handed to the dataplane and its answer, after retries. */
    public record Report(int ops, ApplyResult result, int attempts) {
    }

    private record Pending(Event event, Sinks.One<Submission> reply) {
    }

    private final Sinks.Many<Pending> inbox;
    private final Sinks.Many<Report> reports = Sinks.many().replay().limit(256);
    private final Disposable lane;

    private Pipeline(EventJournal journal, Dataplane dataplane, PipelineOptions options, Scheduler scheduler) {
        this.inbox = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(options.queueCapacity()));
        Reconciler reconciler = new Reconciler(dataplane);
        Flux<State> recorded = inbox.asFlux()
                .concatMap(pending -> Mono.fromFuture(() -> journal.submit(pending.event()))
                        .doOnNext(submission -> pending.reply().tryEmitValue(submission))
                        .doOnError(error -> pending.reply().tryEmitError(error))
                        .onErrorResume(error -> Mono.empty()))
                .ofType(Submission.Recorded.class)
                .map(Submission.Recorded::state);
        this.lane = recorded
                .sample(Flux.interval(options.coalescing(), options.coalescing(), scheduler))
                .concatMap(state -> reconcile(reconciler, state, options, scheduler))
                .subscribe(report -> reports.tryEmitNext(report));
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

    /**
     * Queues an event.
     *
     * @return the journal's answer (recorded, or rejected and not logged); an error when the queue is full or the
     *         pipeline is closed
     */
    public Mono<Submission> submit(Event event) {
        Sinks.One<Submission> reply = Sinks.one();
        Sinks.EmitResult queued = inbox.tryEmitNext(new Pending(event, reply));
        if (queued.isFailure()) {
            return Mono.error(new IllegalStateException(queued == Sinks.EmitResult.FAIL_OVERFLOW
                    ? "pipeline busy: the queue of events waiting for the log is full (try again)"
                    : "pipeline closed: no more events are accepted"));
        }
        return reply.asMono();
    }

    /** @return every reconciliation's report (the last 256 are replayed to late subscribers) */
    public Flux<Report> reports() {
        return reports.asFlux();
    }

    private static Mono<Report> reconcile(Reconciler reconciler, State state, PipelineOptions options,
                                          Scheduler scheduler) {
        int[] attempts = {0};
        int[] ops = {0};
        return Mono.fromCallable(() -> {
                    attempts[0]++;
                    Reconciler.Reconciliation done = reconciler.reconcile(state);
                    ops[0] += done.ops().size();
                    if (done.result() instanceof ApplyResult.Failed failed) {
                        throw new ApplyFailedException(failed);
                    }
                    return new Report(ops[0], done.result(), attempts[0]);
                })
                .retryWhen(Retry.backoff(options.retries(), options.firstBackoff()).scheduler(scheduler)
                        .filter(ApplyFailedException.class::isInstance))
                .onErrorResume(error -> {
                    // After the last retry: report the failure, with the kernel's text, and go on with the lane.
                    Throwable last = Exceptions.isRetryExhausted(error) ? error.getCause() : error;
                    ApplyResult failed = last instanceof ApplyFailedException apply ? apply.failed
                            : new ApplyResult.Failed(0, null, last.toString());
                    return Mono.just(new Report(ops[0], failed, attempts[0]));
                });
    }

    /** Stops accepting events; those queued are still logged and reconciled before the lane ends. */
    @Override
    public void close() {
        inbox.tryEmitComplete();
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
