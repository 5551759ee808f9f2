package io.statelesslb.sim;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.dataplane.trace.PacketWalk;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.state.State;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.fragment.FragmentTable;
import io.vavr.control.Either;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated Linux dataplane, the backend CI runs: it holds the nft sets, Maglev tables, rules and routes as a
 * model and applies operations with the kernel's refusals (adding what exists, removing what is absent) and the
 * safety rules (no active slot without a path). Packets injected into it take the path the kernel and the load
 * balancer would give them ({@link #inject}), through the very engine the kernel backend runs. Deterministic (the
 * fragment table's clock advances 1 ms per packet), needs no privileges.
 *
 * <p>It has no kernel to watch: its machine ({@link #host()}) is what the controller's log says, through
 * {@link #follow}; tests change it directly, and each change returns the observation a kernel would report.
 */
public final class SimulatedDataplane implements Dataplane {

    private static final long TICK_NANOS = 1_000_000L;

    private final SimulatedHost host;
    private final EngineTables tables;
    private final LoadBalancer engine;
    private final PacketWalk walk;
    /** Packets and bytes per queueing rule, keyed by the rule's text with zero counters. */
    private final Map<String, long[]> ruleCounters = new TreeMap<>();
    private final Map<Integer, Long> targetHits = new TreeMap<>();
    private DataplaneSpec actual = DataplaneSpec.empty();
    private long now;

    /** A dataplane on a host with no interfaces yet. */
    public SimulatedDataplane() {
        this(new SimulatedHost(), false);
    }

    /**
     * @param host            the machine's interfaces and neighbours
     * @param promiscuousPing whether ICMP echoes match flows by address alone (nfqlb's --promiscuous_ping)
     */
    public SimulatedDataplane(SimulatedHost host, boolean promiscuousPing) {
        this.host = host;
        this.tables = new EngineTables(promiscuousPing);
        this.engine = new LoadBalancer(tables.configure(actual), new FragmentTable(4096, 64, 2048, 2_000_000_000L),
                () -> now);
        this.walk = new PacketWalk(engine);
    }

    /** @return the machine around this dataplane */
    public SimulatedHost host() {
        return host;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public synchronized DataplaneSpec actual() {
        return actual;
    }

    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        try {
            for (int i = 0; i < ops.size(); i++) {
                Either<String, DataplaneSpec> next = ops.get(i).effect(actual);
                if (next.isLeft()) {
                    return new ApplyResult.Failed(i, ops.get(i), next.getLeft());
                }
                actual = next.get();
            }
            return new ApplyResult.Applied(ops.size());
        } finally {
            engine.configure(tables.configure(actual));
        }
    }

    /** The simulator's machine is whatever the log says: it observes nothing itself. */
    @Override
    public boolean observesMachine() {
        return false;
    }

    @Override
    public List<ObservationCommand> observe(State state) {
        return List.of();
    }

    @Override
    public void follow(Machine machine) {
        host.become(machine);
    }

    /**
     * Sends a packet into the dataplane as if it arrived on {@code ingress}, or, with ingress {@code "local"}, as
     * if this host sent it (the output chain queues only ICMP to a VIP); the rule that queues it counts it.
     *
     * @return every step it took and how it ended
     */
    public synchronized PacketTrace inject(byte[] packet, String ingress) {
        now += TICK_NANOS;
        PacketTrace trace = walk.walk(actual, host.machine(), packet, ingress);
        if (trace.queuedBy() != null) {
            long[] counts = ruleCounters.computeIfAbsent(trace.queuedBy(), rule -> new long[2]);
            counts[0]++;
            counts[1] += packet.length;
        }
        if (trace.fwmark() != 0) {
            targetHits.merge(trace.fwmark(), 1L, Long::sum);
        }
        return trace;
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        return inject(packet, ingress);
    }

    @Override
    public synchronized List<Rendering> render() {
        return LinuxViews.all(actual, host.machine(), ruleCounters, tables::maglev);
    }

    /** @return packets and bytes each queueing rule counted, by the rule's text as listed with zero counters */
    public synchronized Map<String, long[]> ruleCounters() {
        Map<String, long[]> copy = new TreeMap<>();
        ruleCounters.forEach((rule, counts) -> copy.put(rule, counts.clone()));
        return copy;
    }

    /** @return how many packets were load-balanced to each fwmark */
    public synchronized Map<Integer, Long> targetHits() {
        return new TreeMap<>(targetHits);
    }

    /** The simulator decides nothing by itself: packets are only traced. */
    @Override
    public long packetsDecided() {
        return 0;
    }

    /**
     * Deletes a target's rule and route of one family as an operator typing {@code ip rule del} and
     * {@code ip route del} would: behind the controller's back.
     */
    public synchronized void tamperDeletePath(Family family, int fwmark) {
        io.vavr.collection.SortedMap<String, StreamPlan> streams = actual.streams();
        for (StreamPlan stream : streams.values()) {
            streams = streams.put(stream.stream(),
                    stream.withPaths(stream.paths().filter(p -> p.family() != family || p.fwmark() != fwmark)));
        }
        actual = actual.withStreams(streams);
        engine.configure(tables.configure(actual));
    }

    /** Removes a VIP from its nft set as {@code nft delete element} would: behind the controller's back. */
    public synchronized void tamperRemoveVipElement(Cidr vip) {
        actual = actual.withVipElements(actual.vipElements().remove(vip));
        engine.configure(tables.configure(actual));
    }

    @Override
    public void close() {
        // Nothing is held outside the heap.
    }
}
