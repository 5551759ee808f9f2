package io.statelesslb.server.http;

import io.statelesslb.api.http.RecordedView;
import io.statelesslb.controller.Controller;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.event.RecordedEvent;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** Submits a request's command and answers with the recorded event, or the rejection with every problem. */
final class Submissions {

    /** How long {@code ?wait} waits for the dataplane before answering that the event is not applied yet. */
    static final Duration WAIT_FOR_APPLY = Duration.ofSeconds(10);

    private Submissions() {
    }

    /**
     * @param status the status of a recorded event (200, or 201 for something new)
     * @param wait   whether to answer only once the dataplane matches the state after the event
     */
    static Mono<Reply> submit(Controller controller, Command command, int status, boolean wait) {
        return controller.submit(command).flatMap(submission -> submission.<Mono<Reply>>fold(
                problems -> Mono.error(new ApiException(422, "rejected", HttpApi.problems(problems))),
                recorded -> answer(controller, recorded.event(), status, wait)));
    }

    private static Mono<Reply> answer(Controller controller, RecordedEvent recorded, int status, boolean wait) {
        if (!wait) {
            return Mono.just(new Reply.Json(status, RecordedView.of(recorded, null)));
        }
        return controller.applied(recorded.sequence())
                .map(report -> true)
                .timeout(WAIT_FOR_APPLY, Mono.just(false))
                .map(applied -> new Reply.Json(applied ? status : 202, RecordedView.of(recorded, applied)));
    }
}
