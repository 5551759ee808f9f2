package io.statelesslb.daemon.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.statelesslb.daemon.server.Daemon;
import java.util.Optional;
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

    /** A probe's answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Probe(String status, String reason) {
    }

    static void add(Router router, Daemon daemon) {
        router.add("GET", "/healthz", call -> Mono.fromSupplier(() -> probe(daemon.unhealthy())))
                .add("GET", "/readyz", call -> Mono.fromSupplier(() -> probe(daemon.notReady())))
                .add("GET", "/metrics", call -> Mono.fromSupplier(() -> new Reply.Text(200,
                        "text/plain; version=0.0.4; charset=utf-8", daemon.metrics().scrape())));
    }

    private static Reply probe(Optional<String> problem) {
        return problem.<Reply>map(reason -> new Reply.Json(503, new Probe("unavailable", reason)))
                .orElseGet(() -> Reply.ok(new Probe("ok", null)));
    }
}
