package io.statelesslb.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.LocalEventStream;
import io.statelesslb.eventlog.stream.Proposal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a shared stream keeps the snapshot it took last, even when it is closed right after taking it. */
class SharedStoreSnapshotTest {

    @TempDir
    Path dir;

    private LocalEventStream open() {
        return new LocalEventStream(EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, record -> { }));
    }

    @Test
    void theSnapshotAfterTheLastFoldedRecordIsWrittenBeforeTheStreamCloses() {
        EventStoreOptions everyRecord = new EventStoreOptions(EventLogOptions.DEFAULTS, 1);
        LocalEventStream other = open();
        long last;
        try (EventStore store = EventStore.open(new SharedLocalStream(other), "lb-a", everyRecord)) {
            other.append(0, List.of(new Proposal(new TrenchDefined("trench-a"), "lb-b", null))).join();
            last = other.lastSequence() + 1;
            other.append(last - 1, List.of(new Proposal(new VipDefined("vip-a", Cidr.parse("20.0.0.1/32").get()),
                    "lb-b", null))).join();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.sequence() < last && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertThat(store.sequence()).as("folded what the other instance appended").isEqualTo(last);
        }
        try (EventStore again = EventStore.open(new SharedLocalStream(open()), "lb-a", everyRecord)) {
            assertThat(again.snapshotSequence()).as("started from the snapshot of the last record").isEqualTo(last);
            assertThat(again.state().vips().keySet()).containsExactly("vip-a");
        }
    }
}
