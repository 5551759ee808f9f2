package io.statelesslb.server.http;

import io.statelesslb.api.http.TraceRequest;
import io.statelesslb.controller.Controller;
import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.plan.StreamPlan;
import reactor.core.publisher.Mono;

/**
 * What the dataplane holds and does, in the forms operators know.
 *
 * <pre>
 * GET  /v1/status                     sequence, applied sequence, backend, last apply
 * GET  /v1/streams/{name}/maglev      the stream's Maglev table (nfqlb show)
 * GET  /v1/flows                      the flows as nfqlb flow-list prints them
 * GET  /v1/dataplane                  every rule, route and table as the Linux tools print them
 * POST /v1/trace                      a packet (hex) or a 5-tuple: the decision, step by step
 * </pre>
 */
final class ViewRoutes {

    private ViewRoutes() {
    }

    static void add(Router router, Controller controller) {
        router.add("GET", "/v1/status", call -> Mono.fromSupplier(() -> Reply.ok(Views.status(controller.status()))))
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
                    return new Reply.Text(200, "application/json", LinuxViews.nfqlbFlowList(controller.actual()));
                }))
                .add("GET", "/v1/dataplane", call -> Mono.fromSupplier(() ->
                        Reply.ok(Views.dataplane(controller.status(), controller.render()))))
                .add("POST", "/v1/trace", call -> call.json(TraceRequest.class).map(request -> {
                    byte[] packet = PacketBuilder.build(request.packet(), request.protocol(), request.source(),
                                    request.sourcePort(), request.destination(), request.destinationPort())
                            .getOrElseThrow(problems -> new ApiException(400, "malformed",
                                    HttpApi.problems(io.vavr.collection.List.ofAll(problems))));
                    return Reply.ok(Views.trace(controller.trace(packet, request.ingressOrDefault())));
                }));
    }
}
