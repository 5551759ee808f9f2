package io.statelesslb.daemon.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.daemon.pipeline.Pipeline;
import io.statelesslb.domain.event.Event;
import io.statelesslb.dataplane.PacketTrace;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the daemon counts, in Prometheus' text format: events by type, applies and their latency, packets per
 * target and per flow (traced packets on the simulator), and the pipeline's queue.
 */
public final class DaemonMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer applyLatency;
    private final Counter applyFailures;

    /**
     * @param queued        events waiting in the pipeline's queue
     * @param logSequence   the last sequence in the event log
     * @param watchers      how many event watchers are connected
     * @param queueVerdicts packets the kernel backend's NFQUEUE workers have decided (0 on the simulator)
     */
    public DaemonMetrics(Supplier<Number> queued, Supplier<Number> logSequence, Supplier<Number> appliedSequence,
                         Supplier<Number> watchers, Supplier<Number> queueVerdicts) {
        applyLatency = Timer.builder("slb.apply")
                .description("Time from a state being recorded to the dataplane matching its plan, retries included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        applyFailures = Counter.builder("slb.apply.failures")
                .description("Applies that failed through every retry and were recorded as ApplyFailed")
                .register(registry);
        gauge("slb.pipeline.queued", "Events waiting for the log", queued);
        gauge("slb.log.sequence", "The last sequence in the event log", logSequence);
        gauge("slb.dataplane.applied.sequence", "The last sequence whose plan the dataplane matches", appliedSequence);
        gauge("slb.events.watchers", "Connected event watchers", watchers);
        gauge("slb.nfqueue.verdicts", "Packets the NFQUEUE workers have given a verdict (kernel backend)",
                queueVerdicts);
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** Counts an event the journal recorded. */
    public void recorded(Event event) {
        registry.counter("slb.events", "type", EventType.of(event).typeName(), "outcome", "recorded").increment();
    }

    /** Counts an event the journal rejected. */
    public void rejected(Event event) {
        registry.counter("slb.events", "type", EventType.of(event).typeName(), "outcome", "rejected").increment();
    }

    /** Counts an event the pipeline refused (queue full or closing). */
    public void refused() {
        registry.counter("slb.pipeline.refused").increment();
    }

    /** Records one reconciliation: how long it took from its state being recorded, and whether it failed. */
    public void reconciled(Pipeline.Report report, Duration sinceRecorded) {
        if (report.applied()) {
            applyLatency.record(sinceRecorded);
        } else {
            applyFailures.increment();
        }
    }

    /**
     * Counts a traced packet against its flow and target.
     *
     * @param target the identifier of the target it went to, or 0
     */
    public void traced(PacketTrace trace, int target) {
        if (trace.flow() != null) {
            registry.counter("slb.flow.matches", "flow", trace.flow()).increment();
        }
        if (target != 0) {
            registry.counter("slb.target.packets", "stream", trace.stream(), "target", Integer.toString(target))
                    .increment();
        }
    }

    /** @return every metric in Prometheus' text exposition format */
    public String scrape() {
        return registry.scrape();
    }
}
