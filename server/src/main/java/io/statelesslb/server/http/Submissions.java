package io.statelesslb.server.http;

import io.statelesslb.api.http.RecordedView;
import io.statelesslb.controller.Controller;
import io.statelesslb.domain.command.Command;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Submits a request's command and answers with the recorded event, that nothing changed (the state already held it),
 * or the rejection with every problem.
 */
final class Submissions {

    /** How long {@code ?wait} waits for the dataplane before answering that the event is not applied yet. */
    static final Duration WAIT_FOR_APPLY = Duration.ofSeconds(10);

    private Submissions() {
    }

    /**
     * @param call   the request: who sends it, and whether to answer only once the dataplane matches the state
     *               after the event ({@code ?wait})
     * @param status the status of a recorded event (200, or 201 for something new)
     */
    static Mono<Reply> submit(Controller controller, Call call, Command command, int status) {
        boolean wait = call.flag("wait");
        return controller.submit(command, call.source()).flatMap(submission -> submission.<Mono<Reply>>fold(
                problems -> Mono.error(new ApiException(422, "rejected", HttpApi.problems(problems))),
                unchanged -> answer(controller, unchanged.sequence(), 200,
                        applied -> RecordedView.unchanged(unchanged.sequence(), unchanged.event(), applied), wait),
                recorded -> answer(controller, recorded.event().sequence(), status,
                        applied -> RecordedView.of(recorded.event(), applied), wait)));
    }

    /** Answers {@code status} at once, or, with {@code wait}, once the dataplane has {@code sequence} (else 202). */
    private static Mono<Reply> answer(Controller controller, long sequence, int status,
                                      Function<Boolean, RecordedView> view, boolean wait) {
        if (!wait) {
            return Mono.just(new Reply.Json(status, view.apply(null)));
        }
        return controller.applied(sequence)
                .map(report -> true)
                .timeout(WAIT_FOR_APPLY, Mono.just(false))
                .map(applied -> new Reply.Json(applied ? status : 202, view.apply(applied)));
    }
}
