package io.statelesslb.daemon.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.daemon.report.Definitions;
import io.statelesslb.daemon.server.Daemon;
import io.statelesslb.daemon.trace.TraceRequest;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.StreamPlan;
import java.util.List;
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

    /** The whole dataplane as the Linux tools print it, and the sequence it reflects. */
    record DataplaneView(String backend, long sequence, List<Rendering> views) {
    }

    /** The decision for one traced packet. */
    record TraceView(String outcome, String dropReason, int fwmark, String flow, String stream, String egress,
                     String nextHop, String mac, List<String> steps, String text) {
    }

    /** Where the daemon is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusView(String backend, long sequence, long appliedSequence, boolean ready, String notReady,
                      int queued, int watchers, String lastApply) {
    }

    static void add(Router router, Daemon daemon) {
        PermutationCache permutations = new PermutationCache();
        router.add("GET", "/v1/status", call -> Mono.fromSupplier(() -> Reply.ok(new StatusView(
                        daemon.backend().name(), daemon.sequence(), daemon.appliedSequence(),
                        daemon.notReady().isEmpty(), daemon.notReady().orElse(null), daemon.queued(),
                        daemon.feed().watchers(), daemon.lastReport().map(Object::toString).orElse(null)))))
                .add("GET", "/v1/streams/{name}/maglev", call -> Mono.fromSupplier(() -> {
                    String name = call.path("name");
                    if (daemon.state().streams().get(name).isEmpty()) {
                        throw ApiException.of(404, "not_found", "name", "stream=" + name + " (expected: one of the"
                                + " defined streams: " + daemon.state().streams().keySet().mkString(", ") + ")");
                    }
                    long sequence = daemon.appliedSequence();
                    StreamPlan stream = daemon.backend().actual().streams().get(name)
                            .getOrElseThrow(() -> ApiException.of(409, "not_applied", "name", "stream " + name
                                    + " is defined but not yet in the dataplane (its conduit or flows are being"
                                    + " applied); try again"));
                    synchronized (permutations) {
                        return Reply.ok(MaglevView.of(stream, sequence, permutations));
                    }
                }))
                .add("GET", "/v1/flows", call -> Mono.fromSupplier(() -> {
                    if ("definitions".equals(call.query("view"))) {
                        return Reply.ok(Definitions.FLOWS.list(daemon.state()));
                    } else if (call.query("view") != null) {
                        throw ApiException.of(400, "malformed", "view", "view=" + call.query("view")
                                + " (expected: definitions, or no view for nfqlb flow-list)");
                    }
                    return new Reply.Text(200, "application/json",
                            LinuxViews.nfqlbFlowList(daemon.backend().actual()));
                }))
                .add("GET", "/v1/dataplane", call -> Mono.fromSupplier(() -> {
                    long sequence = daemon.appliedSequence();
                    return Reply.ok(new DataplaneView(daemon.backend().name(), sequence, daemon.backend().render()));
                }))
                .add("POST", "/v1/trace", call -> call.json(TraceRequest.class).map(request -> {
                    byte[] packet = PacketBuilder.build(request.packet(), request.protocol(), request.source(),
                                    request.sourcePort(), request.destination(), request.destinationPort())
                            .getOrElseThrow(problems -> new ApiException(400, "malformed",
                                    HttpApi.problems(io.vavr.collection.List.ofAll(problems))));
                    PacketTrace trace = daemon.trace(packet, request.ingressOrDefault());
                    return Reply.ok(new TraceView(trace.outcome().name(), trace.dropReason(), trace.fwmark(),
                            trace.flow(), trace.stream(), trace.egress(), trace.nextHop(), trace.mac(), trace.steps(),
                            trace.render()));
                }));
    }
}
