package io.statelesslb.server.http;

import io.statelesslb.api.http.TargetSnapshot;
import io.statelesslb.api.http.TargetView;
import io.statelesslb.controller.Controller;
import io.statelesslb.controller.ControllerStatus;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Targets: list, register, unregister, enable, disable, and watch.
 *
 * <pre>
 * GET    /v1/targets[?stream=S]                        the targets with their status
 * POST   /v1/targets                                   {"stream":S,"identifier":N,"ips":[..]} registers
 * GET    /v1/targets/{stream}/{identifier}
 * DELETE /v1/targets/{stream}/{identifier}             unregisters
 * POST   /v1/targets/{stream}/{identifier}/enable      (and /disable)
 * GET    /v1/targets/watch[?stream=S][&amp;after=SEQ]       Server-Sent Events
 * </pre>
 * Changes take {@code ?wait} to answer once the dataplane has them.
 */
final class TargetRoutes {

    private TargetRoutes() {
    }

    static void add(Router router, Controller controller) {
        router.add("GET", "/v1/targets/watch", call -> watch(controller, call))
                .add("GET", "/v1/targets", call -> Mono.fromSupplier(() ->
                        Reply.ok(list(controller, call.query("stream")))))
                .add("POST", "/v1/targets", call -> call.json(RegisterTarget.class)
                        .flatMap(command -> Submissions.submit(controller, call, command, 201)))
                .add("GET", "/v1/targets/{stream}/{identifier}", call -> Mono.fromSupplier(() -> {
                    State state = controller.state();
                    Target target = state.target(call.path("stream"), identifier(call))
                            .getOrElseThrow(() -> ApiException.of(404, "not_found", "identifier", "no target "
                                    + call.path("identifier") + " in stream " + call.path("stream")));
                    return Reply.ok(viewer(controller, state).apply(target));
                }))
                .add("DELETE", "/v1/targets/{stream}/{identifier}", call -> Submissions.submit(controller, call,
                        new UnregisterTarget(call.path("stream"), identifier(call)), 200))
                .add("POST", "/v1/targets/{stream}/{identifier}/enable", call -> Submissions.submit(controller, call,
                        new EnableTarget(call.path("stream"), identifier(call)), 200))
                .add("POST", "/v1/targets/{stream}/{identifier}/disable", call -> Submissions.submit(controller, call,
                        new DisableTarget(call.path("stream"), identifier(call)), 200));
    }

    private static int identifier(Call call) {
        String text = call.path("identifier");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.of(400, "malformed", "identifier", "identifier=" + text
                    + " (expected: the target's number within its stream, such as 3)");
        }
    }

    static List<TargetView> list(Controller controller, String stream) {
        State state = controller.state();
        if (stream != null && state.streams().get(stream).isEmpty()) {
            throw ApiException.of(404, "not_found", "stream", "stream=" + stream + " (expected: one of the defined"
                    + " streams: " + state.streams().keySet().mkString(", ") + ")");
        }
        return state.targets().filterKeys(name -> stream == null || name.equals(stream)).values()
                .flatMap(byId -> byId.values())
                .map(viewer(controller, state))
                .toJavaList();
    }

    /** @return how targets of {@code state} are shown, against what the dataplane holds, read once for all of them */
    private static Function<Target, TargetView> viewer(Controller controller, State state) {
        DataplaneSpec actual = controller.actual();
        ControllerStatus status = controller.status();
        return target -> Views.target(state, target, actual, status);
    }

    /**
     * Without {@code after}: first a {@code snapshot} event with every target (its id is the sequence it reflects),
     * then each target event. With {@code after}: the target events recorded after that sequence, then live ones.
     */
    private static Mono<Reply> watch(Controller controller, Call call) {
        String stream = call.query("stream");
        Long after = call.query("after") == null && call.request().requestHeaders().get("Last-Event-ID") == null
                ? null : EventRoutes.resumeAfter(call);
        Flux<String> snapshot = Flux.empty();
        long from;
        if (after == null) {
            from = controller.status().sequence();
            snapshot = Flux.just(EventRoutes.frame(from, "snapshot",
                    new TargetSnapshot(from, list(controller, stream))));
        } else {
            from = after;
        }
        Flux<String> changes = controller.feed().watch(from)
                .filter(recorded -> recorded.event() instanceof TargetEvent target
                        && (stream == null || target.stream().equals(stream)))
                .map(EventRoutes::frame);
        return Mono.just(EventRoutes.withHeartbeat(snapshot.concatWith(changes)));
    }
}
