package io.statelesslb.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.controller.ControllerListener;
import io.statelesslb.controller.TrenchController;
import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.dataplane.PacketCounters;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.server.build.BuildInfo;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What the daemon counts, in Prometheus' text format: events by type, applies and their latency, the pipeline's
 * queue, and what the load balancer decided (packets by reason, per flow and per target, and each queue's drops:
 * on the kernel, every packet the NFQUEUE workers took; on the simulator, the packets traced), with the JVM's and
 * the process's own and the build's version. The load balancer's counters are read from its threads at each scrape,
 * never counted per packet here. Every counter the daemon always has is there from the start, at 0, so that a rate
 * over it is defined before its first increment. It listens to the controller.
 */
public final class DaemonMetrics implements ControllerListener, AutoCloseable {

    /** The apply latency's buckets: from a burst applied at once to an apply retried for seconds. */
    private static final Duration[] APPLY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(10)};
    private static final String EVENTS_HELP = "Changes decided, by event type and outcome: recorded, unchanged (the"
            + " state already held it) or rejected; only recorded ones are in the log";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer applyLatency;
    private final Counter applyFailures;
    private final Counter refusals;
    private final Map<EventType, Counter> recorded = new EnumMap<>(EventType.class);
    private final Map<EventType, Counter> rejected = new EnumMap<>(EventType.class);
    private final Map<EventType, Counter> unchanged = new EnumMap<>(EventType.class);
    private final JvmGcMetrics garbageCollection = new JvmGcMetrics();
    private static final PacketCounters EMPTY = PacketCounters.of(List.of(), Map.of());
    private static final PacketCounters.QueueDrops NO_DROPS = new PacketCounters.QueueDrops(0, 0);
    private volatile Supplier<PacketCounters> packets;
    private volatile PacketCounters latest;

    public DaemonMetrics() {
        // Two of the process meters break Prometheus' naming rules (promtool check metrics): the CPU time in
        // nanoseconds (process_cpu_usage says the same), and a count named like a summary's.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        applyLatency = Timer.builder("slb.apply")
                .description("Time from a state being recorded to the dataplane matching its plan, retries included")
                .serviceLevelObjectives(APPLY_BUCKETS)
                .register(registry);
        applyFailures = Counter.builder("slb.apply.failures")
                .description("Applies that failed through every retry and were recorded as ApplyFailed")
                .register(registry);
        refusals = Counter.builder("slb.pipeline.refused")
                .description("Changes refused before they were decided: the pipeline was full or closing")
                .register(registry);
        for (EventType type : EventType.values()) {
            recorded.put(type, events(type, "recorded"));
            rejected.put(type, events(type, "rejected"));
            unchanged.put(type, events(type, "unchanged"));
        }
        Gauge.builder("slb.build.info", () -> 1).description("The build that runs: its version, and the Java"
                        + " runtime's")
                .tags("version", BuildInfo.version(), "java", Runtime.version().toString()).register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        garbageCollection.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private Counter events(EventType type, String outcome) {
        return Counter.builder("slb.events").description(EVENTS_HELP).tags("type", type.typeName(), "outcome",
                outcome).register(registry);
    }

    /** Shows where {@code controller} is: its queue, sequences, watchers and the packets its dataplane decided. */
    public void watch(TrenchController controller) {
        gauge("slb.pipeline.queued", "Changes waiting for the log", controller::queued);
        gauge("slb.log.sequence", "The last sequence in the event log", controller::sequence);
        gauge("slb.dataplane.applied.sequence", "The last sequence whose plan the dataplane matches",
                () -> controller.status().appliedSequence());
        gauge("slb.events.watchers", "Connected event watchers", () -> controller.feed().watchers());
        gauge("slb.ready", "1 while the dataplane matches the state (as /readyz says 200), else 0",
                () -> controller.status().notReady().isEmpty() ? 1 : 0);
        packets = controller::counters;
        FunctionCounter.builder("slb.nfqueue.verdicts", this, metrics -> metrics.latest().decided())
                .description("Packets the load balancer has given a verdict").register(registry);
    }

    /** @return the counters read at this scrape */
    private PacketCounters latest() {
        PacketCounters read = latest;
        return read != null ? read : EMPTY;
    }

    /** Reads the load balancer's counters, and registers a counter for every flow, target or queue new to them. */
    private void refresh() {
        if (packets == null) {
            return;
        }
        PacketCounters read = packets.get();
        latest = read;
        read.byReason().keySet().forEach(reason -> counter("slb.packets", "Packets decided, by reason",
                counters -> counters.byReason().getOrDefault(reason, 0L), "reason", reason.name().toLowerCase()));
        read.byFlow().keySet().forEach(flow -> counter("slb.flow.matches", "Packets each flow matched",
                counters -> counters.byFlow().getOrDefault(flow, 0L), "flow", flow));
        read.byTarget().forEach((stream, targets) -> targets.keySet().forEach(target -> counter(
                "slb.target.packets", "Packets sent to each target", counters -> counters.byTarget()
                        .getOrDefault(stream, Map.of()).getOrDefault(target, 0L),
                "stream", stream, "target", Integer.toString(target))));
        read.byQueue().keySet().forEach(queue -> {
            counter("slb.nfqueue.dropped", "Packets the kernel dropped from a queue: full, or not handed over",
                    counters -> counters.byQueue().getOrDefault(queue, NO_DROPS).full(), "queue",
                    Integer.toString(queue), "cause", "full");
            counter("slb.nfqueue.dropped", "Packets the kernel dropped from a queue: full, or not handed over",
                    counters -> counters.byQueue().getOrDefault(queue, NO_DROPS).unread(), "queue",
                    Integer.toString(queue), "cause", "unread");
        });
    }

    private void counter(String name, String description, ToDoubleFunction<PacketCounters> value, String... tags) {
        FunctionCounter.builder(name, this, metrics -> value.applyAsDouble(metrics.latest()))
                .description(description).tags(tags).register(registry);
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    @Override
    public void recorded(RecordedEvent event) {
        recorded.get(EventType.of(event.event())).increment();
    }

    @Override
    public void rejected(Command command) {
        rejected.get(EventType.ofCommand(command)).increment();
    }

    @Override
    public void unchanged(Command command) {
        unchanged.get(EventType.ofCommand(command)).increment();
    }

    @Override
    public void refused(Command command) {
        refusals.increment();
    }

    @Override
    public void reconciled(Pipeline.Report report, Duration sinceRecorded) {
        if (report.applied()) {
            applyLatency.record(sinceRecorded);
        } else {
            applyFailures.increment();
        }
    }

    /** @return every metric in Prometheus' text exposition format */
    public String scrape() {
        refresh();
        return registry.scrape();
    }

    /** Stops listening to the JVM's garbage collections. */
    @Override
    public void close() {
        garbageCollection.close();
        registry.close();
    }
}
