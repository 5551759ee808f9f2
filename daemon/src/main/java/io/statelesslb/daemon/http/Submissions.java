package io.statelesslb.daemon.http;

import io.statelesslb.daemon.server.Daemon;
import io.statelesslb.daemon.store.Submission;
import io.statelesslb.domain.event.Event;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** Submits an event for a request and answers with the recorded event, or the rejection with every problem. */
final class Submissions {

    /** How long {@code ?wait} waits for the dataplane before answering that the event is not applied yet. */
    static final Duration WAIT_FOR_APPLY = Duration.ofSeconds(10);

    private Submissions() {
    }

    /**
     * @param status the status of a recorded event (200, or 201 for something new)
     * @param wait   whether to answer only once the dataplane matches the state after the event
     */
    static Mono<Reply> submit(Daemon daemon, Event event, int status, boolean wait) {
        return daemon.submit(event).flatMap(submission -> {
            if (submission instanceof Submission.Rejected rejected) {
                return Mono.error(new ApiException(422, "rejected", HttpApi.problems(rejected.problems())));
            }
            Submission.Recorded recorded = (Submission.Recorded) submission;
            if (!wait) {
                return Mono.just(new Reply.Json(status, RecordedView.of(recorded.event(), null)));
            }
            return daemon.applied(recorded.event().sequence())
                    .map(report -> true)
                    .timeout(WAIT_FOR_APPLY, Mono.just(false))
                    .map(applied -> new Reply.Json(applied ? status : 202, RecordedView.of(recorded.event(), applied)));
        });
    }
}
