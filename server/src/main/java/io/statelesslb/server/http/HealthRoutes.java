package io.statelesslb.server.http;

import io.statelesslb.api.http.Probe;
import io.statelesslb.controller.Controller;
import java.util.Optional;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Probes and metrics.
 *
 * <pre>
 * GET /healthz    200 while the event log takes writes
 * GET /readyz     200 once the dataplane matches the state (503 while starting or while an apply fails)
 * GET /metrics    Prometheus text format
 * </pre>
 */
final class HealthRoutes {

    private HealthRoutes() {
    }

    /** @param metrics the metrics in Prometheus' text format */
    static void add(Router router, Controller controller, Supplier<String> metrics) {
        router.add("GET", "/healthz", call -> Mono.fromSupplier(() -> probe(controller.status().unhealthy())))
                .add("GET", "/readyz", call -> Mono.fromSupplier(() -> probe(controller.status().notReady())))
                .add("GET", "/metrics", call -> Mono.fromSupplier(() -> new Reply.Text(200,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.get())));
    }

    private static Reply probe(Optional<String> problem) {
        return problem.<Reply>map(reason -> new Reply.Json(503, new Probe("unavailable", reason)))
                .orElseGet(() -> Reply.ok(new Probe("ok", null)));
    }
}
