package io.statelesslb.bench;

import io.statelesslb.controller.replay.Replay;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Replay of a long log: read and check every record, decode it, fold it. The log is a trench of 10 streams of
 * 100 targets followed by targets leaving and coming back, so every event is valid and changes the state.
 */
@org.openjdk.jmh.annotations.State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReplayBenchmark {

    @Param("1000000")
    public int events;

    private Path dir;

    @Setup(Level.Trial)
    public void writeLog() throws IOException {
        dir = Files.createTempDirectory("slb-bench-replay-");
        List<Event> history = new ArrayList<>();
        State state = State.empty();
        for (Command command : Scenarios.large(10, 100)) {
            Event event = Scenarios.event(state, command);
            history.add(event);
            state = state.evolve(event);
        }
        for (int i = 0; history.size() < events; i++) {
            int stream = i % 10;
            int id = 1 + (i / 10) % 100;
            history.add(new TargetUnregistered("stream-" + stream, id));
            history.add(new TargetRegistered("stream-" + stream, id, List.of(
                    IpAddress.parse(Scenarios.targetIpv4(stream, id)).get(),
                    IpAddress.parse(Scenarios.targetIpv6(stream, id)).get())));
        }
        try (EventLog log = EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, record -> { })) {
            List<CompletableFuture<?>> acks = new ArrayList<>(history.size());
            for (Event event : history.subList(0, events)) {
                acks.add(log.append(event));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Benchmarks.delete(dir);
    }

    @Benchmark
    public State replayWholeLog() {
        Replay replay = new Replay(Long.MAX_VALUE, null);
        EventLog.read(dir, replay::accept);
        if (replay.sequence() != events) {
            throw new IllegalStateException("replayed " + replay.sequence() + " of " + events);
        }
        return replay.state();
    }
}
