package io.statelesslb.daemon.http;

import io.statelesslb.daemon.pipeline.Pipeline;
import io.statelesslb.daemon.server.Daemon;
import io.statelesslb.domain.event.TargetDisabled;
import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.util.List;
import java.util.Optional;
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
 * Mutations take {@code ?wait} to answer once the dataplane has the change.
 */
final class TargetRoutes {

    private TargetRoutes() {
    }

    static void add(Router router, Daemon daemon) {
        router.add("GET", "/v1/targets/watch", call -> watch(daemon, call))
                .add("GET", "/v1/targets", call -> Mono.fromSupplier(() -> Reply.ok(list(daemon, call.query("stream")))))
                .add("POST", "/v1/targets", call -> call.json(TargetRegistered.class)
                        .flatMap(event -> Submissions.submit(daemon, event, 201, call.flag("wait"))))
                .add("GET", "/v1/targets/{stream}/{identifier}", call -> Mono.fromSupplier(() -> {
                    State state = daemon.state();
                    Target target = state.target(call.path("stream"), identifier(call))
                            .getOrElseThrow(() -> ApiException.of(404, "not_found", "identifier", "no target "
                                    + call.path("identifier") + " in stream " + call.path("stream")));
                    return Reply.ok(viewer(daemon, state).apply(target));
                }))
                .add("DELETE", "/v1/targets/{stream}/{identifier}", call -> Submissions.submit(daemon,
                        new TargetUnregistered(call.path("stream"), identifier(call)), 200, call.flag("wait")))
                .add("POST", "/v1/targets/{stream}/{identifier}/enable", call -> Submissions.submit(daemon,
                        new TargetEnabled(call.path("stream"), identifier(call)), 200, call.flag("wait")))
                .add("POST", "/v1/targets/{stream}/{identifier}/disable", call -> Submissions.submit(daemon,
                        new TargetDisabled(call.path("stream"), identifier(call)), 200, call.flag("wait")));
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

    static List<TargetView> list(Daemon daemon, String stream) {
        State state = daemon.state();
        if (stream != null && state.streams().get(stream).isEmpty()) {
            throw ApiException.of(404, "not_found", "stream", "stream=" + stream + " (expected: one of the defined"
                    + " streams: " + state.streams().keySet().mkString(", ") + ")");
        }
        return state.targets().filterKeys(name -> stream == null || name.equals(stream)).values()
                .flatMap(byId -> byId.values())
                .map(viewer(daemon, state))
                .toJavaList();
    }

    /** @return how targets of {@code state} are shown, against what the dataplane has, read once for all of them */
    private static Function<Target, TargetView> viewer(Daemon daemon, State state) {
        DataplaneSpec applied = daemon.backend().actual();
        boolean upToDate = daemon.appliedSequence() >= daemon.sequence();
        Optional<Pipeline.Report> lastApply = daemon.lastReport();
        return target -> TargetView.of(state, target, applied, upToDate, lastApply);
    }

    /**
     * Without {@code after}: first a {@code snapshot} event with every target (its id is the sequence it reflects),
     * then each target event. With {@code after}: the target events recorded after that sequence, then live ones.
     */
    private static Mono<Reply> watch(Daemon daemon, Call call) {
        String stream = call.query("stream");
        Long after = call.query("after") == null && call.request().requestHeaders().get("Last-Event-ID") == null
                ? null : EventRoutes.resumeAfter(call);
        Flux<String> snapshot = Flux.empty();
        long from;
        if (after == null) {
            from = daemon.sequence();
            snapshot = Flux.just(EventRoutes.frame(from, "snapshot",
                    new TargetSnapshot(from, list(daemon, stream))));
        } else {
            from = after;
        }
        Flux<String> changes = daemon.feed().watch(from)
                .filter(recorded -> recorded.event() instanceof TargetEvent target
                        && (stream == null || target.stream().equals(stream)))
                .map(EventRoutes::frame);
        return Mono.just(new Reply.Events(EventRoutes.withHeartbeat(snapshot.concatWith(changes))));
    }
}
