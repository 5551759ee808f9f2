package io.statelesslb.eventlog;

import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The local log keeps the event-stream contract (with one writer: the process that holds its directory). */
class LocalEventStreamTest extends EventStreamContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected EventStream open() {
        return new LocalEventStream(EventLog.open(dir.resolve("log-" + ++opened), EventLogOptions.DEFAULTS,
                Clock.systemUTC(), 0, record -> { }));
    }

    @Override
    protected EventStream another() {
        return new LocalEventStream(EventLog.open(dir.resolve("log-" + opened), EventLogOptions.DEFAULTS,
                Clock.systemUTC(), 0, record -> { }));
    }
}
