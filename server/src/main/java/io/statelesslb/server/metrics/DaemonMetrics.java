package io.statelesslb.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.controller.ControllerListener;
import io.statelesslb.controller.TrenchController;
import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.event.RecordedEvent;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the daemon counts, in Prometheus' text format: events by type, applies and their latency, packets per
 * target and per flow (traced packets on the simulator), and the pipeline's queue. It listens to the controller.
 */
public final class DaemonMetrics implements ControllerListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer applyLatency;
    private final Counter applyFailures;

    public DaemonMetrics() {
        applyLatency = Timer.builder("slb.apply")
                .description("Time from a state being recorded to the dataplane matching its plan, retries included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        applyFailures = Counter.builder("slb.apply.failures")
                .description("Applies that failed through every retry and were recorded as ApplyFailed")
                .register(registry);
    }

    /** Shows where {@code controller} is: its queue, sequences, watchers and the packets its dataplane decided. */
    public void watch(TrenchController controller) {
        gauge("slb.pipeline.queued", "Changes waiting for the log", controller::queued);
        gauge("slb.log.sequence", "The last sequence in the event log", controller::sequence);
        gauge("slb.dataplane.applied.sequence", "The last sequence whose plan the dataplane matches",
                () -> controller.status().appliedSequence());
        gauge("slb.events.watchers", "Connected event watchers", () -> controller.feed().watchers());
        gauge("slb.nfqueue.verdicts", "Packets the NFQUEUE workers have given a verdict (kernel backend)",
                controller::packetsDecided);
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    @Override
    public void recorded(RecordedEvent event) {
        registry.counter("slb.events", "type", EventType.of(event.event()).typeName(), "outcome", "recorded")
                .increment();
    }

    @Override
    public void rejected(Command command) {
        registry.counter("slb.events", "type", EventType.ofCommand(command).typeName(), "outcome", "rejected")
                .increment();
    }

    @Override
    public void refused(Command command) {
        registry.counter("slb.pipeline.refused").increment();
    }

    @Override
    public void reconciled(Pipeline.Report report, Duration sinceRecorded) {
        if (report.applied()) {
            applyLatency.record(sinceRecorded);
        } else {
            applyFailures.increment();
        }
    }

    @Override
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
