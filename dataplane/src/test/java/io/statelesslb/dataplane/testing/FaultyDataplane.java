package io.statelesslb.dataplane.testing;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.PacketCounters;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A dataplane that refuses operations on purpose, around a real one: while {@link #refuse} is on, or for the next
 * {@link #failNext} applies, every op of a non-empty apply is refused with the kernel's words, as a kernel that
 * refuses everything would. Counts applies.
 */
public final class FaultyDataplane implements Dataplane {

    private final Dataplane inner;
    private final AtomicInteger applies = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger breaks = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean deaf;
    private volatile String error = "RTNETLINK answers: Operation not permitted";

    /** @param inner the dataplane that takes the ops when they are not refused */
    public FaultyDataplane(Dataplane inner) {
        this.inner = inner;
    }

    /** Refuses every non-empty apply from now on ({@code true}) or none ({@code false}). */
    public FaultyDataplane refuse(boolean refusing) {
        this.refusing = refusing;
        return this;
    }

    /** Fails the next {@code applies} non-empty applies with {@code error}. */
    public FaultyDataplane failNext(int applies, String error) {
        this.error = error;
        failures.set(applies);
        return this;
    }

    /** Throws from the next {@code applies} non-empty applies, as a bug would, instead of refusing their ops. */
    public FaultyDataplane breakNext(int applies) {
        breaks.set(applies);
        return this;
    }

    /** @return how many applies were asked for, empty ones included */
    public int applies() {
        return applies.get();
    }

    /** @return the dataplane underneath */
    public Dataplane inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public DataplaneSpec actual() {
        return inner.actual();
    }

    @Override
    public ApplyResult apply(List<Op> ops) {
        applies.incrementAndGet();
        if (!ops.isEmpty() && breaks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the dataplane broke applying " + ops.size() + " operation(s)");
        }
        if (!ops.isEmpty() && (refusing || failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
            List<ApplyResult.Refusal> refusals = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                refusals.add(new ApplyResult.Refusal(i, ops.get(i), error));
            }
            return new ApplyResult.Failed(0, refusals);
        }
        return inner.apply(ops);
    }

    /** Passes no change notification on: changes made by hand stay until someone rechecks. */
    public FaultyDataplane deaf() {
        this.deaf = true;
        return this;
    }

    @Override
    public void onChange(Runnable changed) {
        if (!deaf) {
            inner.onChange(changed);
        }
    }

    @Override
    public boolean observesMachine() {
        return inner.observesMachine();
    }

    @Override
    public List<ObservationCommand> observe(State state) {
        return inner.observe(state);
    }

    @Override
    public void follow(Machine machine) {
        inner.follow(machine);
    }

    @Override
    public List<Rendering> render() {
        return inner.render();
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        return inner.trace(packet, ingress);
    }

    @Override
    public AutoCloseable traceLive(LiveTraceRequest request, Consumer<LiveTrace> sink) {
        return inner.traceLive(request, sink);
    }

    @Override
    public PacketCounters counters() {
        return inner.counters();
    }

    @Override
    public List<GatewaySession> gatewaySessions() {
        return inner.gatewaySessions();
    }

    @Override
    public void close() {
        inner.close();
    }
}
