package io.statelesslb.controller.store;

import io.statelesslb.eventlog.EventLogOptions;

/**
 * How an event store is opened.
 *
 * @param log           segment size and repair mode of the event log
 * @param snapshotEvery a snapshot of the state is written after every this many events (0 = never)
 */
public record EventStoreOptions(EventLogOptions log, int snapshotEvery) {

    /** 64 MiB segments, a snapshot every 10,000 events. */
    public static final EventStoreOptions DEFAULTS = new EventStoreOptions(EventLogOptions.DEFAULTS, 10_000);

    public EventStoreOptions {
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery=" + snapshotEvery + " (expected: >= 0)");
        }
    }
}
