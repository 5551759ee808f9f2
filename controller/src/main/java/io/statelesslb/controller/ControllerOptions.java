package io.statelesslb.controller;

import io.statelesslb.controller.pipeline.PipelineOptions;
import io.statelesslb.controller.store.EventStoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How the controller of a trench runs.
 *
 * @param dataDir      where the event log and snapshots are
 * @param pipeline     coalescing, queue, retries and verify of the reactive lane
 * @param store        the event log's segments, repair mode and snapshots
 * @param drainTimeout how long closing waits for queued commands to be logged and applied
 * @param observeEvery how often a backend that observes its machine itself is asked what changed
 * @param clock        the time recorded with each event
 */
public record ControllerOptions(Path dataDir, PipelineOptions pipeline, EventStoreOptions store,
                                Duration drainTimeout, Duration observeEvery, Clock clock) {

    /** @return options with every default: a verify every 30 s, the machine observed every second, UTC */
    public static ControllerOptions defaults(Path dataDir) {
        return new ControllerOptions(dataDir, PipelineOptions.DEFAULTS, EventStoreOptions.DEFAULTS,
                Duration.ofSeconds(10), Duration.ofSeconds(1), Clock.systemUTC());
    }

    public ControllerOptions withPipeline(PipelineOptions pipeline) {
        return new ControllerOptions(dataDir, pipeline, store, drainTimeout, observeEvery, clock);
    }

    public ControllerOptions withClock(Clock clock) {
        return new ControllerOptions(dataDir, pipeline, store, drainTimeout, observeEvery, clock);
    }
}
