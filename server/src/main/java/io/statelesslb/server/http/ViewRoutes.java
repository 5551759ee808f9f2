package io.statelesslb.server.http;

import io.statelesslb.api.http.DiffView;
import io.statelesslb.api.http.LiveTraceView;
import io.statelesslb.api.http.TraceRequest;
import io.statelesslb.controller.Controller;
import io.statelesslb.controller.ControllerStatus;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.state.State;
import io.vavr.control.Option;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * What the dataplane holds and does, in the forms operators know.
 *
 * <pre>
 * GET  /v1/status                     sequence, applied sequence, backend, last apply
 * GET  /v1/streams/{name}/maglev      the stream's Maglev table (nfqlb show)
 * GET  /v1/flows                      the flows as nfqlb flow-list prints them
 * GET  /v1/dataplane                  every rule, route and table as the Linux tools print them, read back
 *                                     (?source=model: the plan of the state instead)
 * GET  /v1/diff                       the operations that would bring what is held to the plan
 * POST /v1/trace                      a packet (hex) or a 5-tuple: the decision, step by step
 * GET  /v1/trace/follow               Server-Sent Events: the real packets decided, live
 *                                     (?flow=NAME, ?count=N then end, ?rate=R per second, default 10)
 * </pre>
 */
final class ViewRoutes {

    /** Live traces followed at once, at most: each taps every packet thread. */
    static final int MAX_FOLLOWERS = 8;

    private ViewRoutes() {
    }

    static void add(Router router, Controller controller) {
        AtomicInteger followers = new AtomicInteger();
        router.add("GET", "/v1/status", call -> Mono.fromSupplier(() -> Reply.ok(Views.status(controller.status(),
                        controller.state()))))
                .add("GET", "/v1/gateways/status", call -> Mono.fromSupplier(() -> Reply.ok(Views.gateways(
                        controller.state(), controller.gatewaySessions(), Instant.now()))))
                .add("GET", "/v1/streams/{name}/maglev", call -> Mono.fromSupplier(() -> {
                    String name = call.path("name");
                    if (controller.state().streams().get(name).isEmpty()) {
                        throw ApiException.of(404, "not_found", "name", "stream=" + name + " (expected: one of the"
                                + " defined streams: " + controller.state().streams().keySet().mkString(", ") + ")");
                    }
                    long sequence = controller.status().appliedSequence();
                    StreamPlan stream = controller.actual().streams().get(name)
                            .getOrElseThrow(() -> ApiException.of(409, "not_applied", "name", "stream " + name
                                    + " is defined but not yet in the dataplane (its conduit or flows are being"
                                    + " applied); try again"));
                    return Reply.ok(Views.maglev(stream, sequence));
                }))
                .add("GET", "/v1/flows", call -> Mono.fromSupplier(() -> {
                    if ("definitions".equals(call.query("view"))) {
                        return Reply.ok(ConfigurationKind.FLOWS.list(controller.state()));
                    } else if (call.query("view") != null) {
                        throw ApiException.of(400, "malformed", "view", "view=" + call.query("view")
                                + " (expected: definitions, or no view for nfqlb flow-list)");
                    }
                    return new Reply.Text(200, "application/json", LinuxViews.nfqlbFlowList(controller.actual(),
                            controller.counters().byFlow()));
                }))
                .add("GET", "/v1/dataplane", call -> Mono.fromSupplier(() -> {
                    String source = call.query("source") == null ? "dataplane" : call.query("source");
                    if (source.equals("dataplane")) {
                        ControllerStatus status = controller.status();
                        return Reply.ok(Views.dataplane(status, source, status.appliedSequence(),
                                controller.render()));
                    } else if (source.equals("model")) {
                        ControllerStatus status = controller.status();
                        State state = controller.state();
                        return Reply.ok(Views.dataplane(status, source, status.sequence(), LinuxViews.all(
                                plan(status, state), Machine.of(state), Map.of(), Map.of(),
                                new EngineTables()::maglev)));
                    }
                    throw ApiException.of(400, "malformed", "source", "source=" + source
                            + " (expected: dataplane, what the backend holds, or model, the plan of the state)");
                }))
                .add("GET", "/v1/diff", call -> Mono.fromSupplier(() -> {
                    ControllerStatus status = controller.status();
                    State state = controller.state();
                    return Reply.ok(new DiffView(status.backend(), status.sequence(),
                            Diff.diff(controller.actual(), plan(status, state)).stream().map(Op::describe)
                                    .toList()));
                }))
                .add("POST", "/v1/trace", call -> call.json(TraceRequest.class).map(request -> {
                    byte[] packet = PacketBuilder.build(request.packet(), request.protocol(), request.source(),
                                    request.sourcePort(), request.destination(), request.destinationPort())
                            .getOrElseThrow(problems -> new ApiException(400, "malformed",
                                    HttpApi.problems(io.vavr.collection.List.ofAll(problems))));
                    String ingress = request.ingress() == null || request.ingress().isBlank() ? null
                            : request.ingress();
                    return Reply.ok(Views.trace(controller.trace(packet, ingress)));
                }))
                .add("GET", "/v1/trace/follow", call -> Mono.fromSupplier(() -> follow(call, controller, followers)));
    }

    /** Live traces as Server-Sent Events, ended after {@code count} of them or when the client leaves. */
    private static Reply follow(Call call, Controller controller, AtomicInteger followers) {
        String flow = call.query("flow");
        if (flow != null && controller.state().flows().get(flow).isEmpty()) {
            throw ApiException.of(404, "not_found", "flow", "flow=" + flow + " (expected: one of the defined flows: "
                    + controller.state().flows().keySet().mkString(", ") + ")");
        }
        long count = call.queryLong("count", 0, 0, Integer.MAX_VALUE);
        int rate = (int) call.queryLong("rate", LiveTraceRequest.DEFAULT_PER_SECOND, 1,
                LiveTraceRequest.MAX_PER_SECOND);
        if (followers.get() >= MAX_FOLLOWERS) {
            throw ApiException.of(429, "too_many", "flow", MAX_FOLLOWERS + " live traces are followed already"
                    + " (expected: one of them to end first)");
        }
        LiveTraceRequest request = new LiveTraceRequest(Option.of(flow), rate);
        AtomicLong sequence = new AtomicLong();
        // DROP: a client that reads slower than the rate loses traces; the daemon keeps no backlog for it.
        Flux<String> traces = Flux.<LiveTraceView>create(sink -> {
            // Counted while the stream is subscribed: a reply never sent holds no place.
            followers.incrementAndGet();
            AutoCloseable following = controller.traceLive(request, trace -> sink.next(Views.liveTrace(trace)));
            sink.onDispose(() -> {
                followers.decrementAndGet();
                try {
                    following.close();
                } catch (Exception e) {
                    // Stopping a live trace only unregisters it; nothing is left to release.
                }
            });
        }, FluxSink.OverflowStrategy.DROP).map(view -> EventRoutes.frame(sequence.incrementAndGet(), "trace", view));
        return EventRoutes.withHeartbeat(count > 0 ? traces.take(count) : traces);
    }

    /** @return the plan of {@code state} for this instance (its place in the LB tier, when it has joined one) */
    private static DataplaneSpec plan(ControllerStatus status, State state) {
        return new Planner(Option.ofOptional(status.instance())).next(state);
    }
}
