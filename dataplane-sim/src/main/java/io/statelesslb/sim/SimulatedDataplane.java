package io.statelesslb.sim;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.PacketCounters;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.live.LiveTracing;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.dataplane.routing.GatewayObservations;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.dataplane.trace.PacketWalk;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.fragment.FragmentTable;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated Linux dataplane, the backend CI runs: the load balancer's process (its Maglev tables and flows) and a
 * simulated routing daemon (its gateway sessions, announcements, and the routes they learn), over a simulated machine
 * whose kernel holds the nft set elements, the exemptions, the rules and the routes ({@link SimulatedHost}).
 * Operations take effect as the ops' model says, with the kernel's own refusal where the model cannot see it (a route
 * through an interface that is down or absent). Packets injected into it take the path the kernel and the load
 * balancer would give them ({@link #inject}), through the very engine the kernel backend runs. Deterministic (the
 * fragment table's clock advances 1 ms per packet), needs no privileges.
 *
 * <p>A new dataplane on the same host is a restart: the kernel's objects are there, the process's are not. It has
 * no kernel to watch: its machine is what the controller's log says, through {@link #follow}; tests change the host
 * directly, and each change returns the observation a kernel would report.
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
    /** The process's part: Maglev tables and flows (the kernel's part is the host's, the sessions the routing's). */
    private DataplaneSpec process = DataplaneSpec.empty();
    private long now;
    private final LiveTracing tracing;
    private final Map<String, Integer> interfaceNumbers = new HashMap<>();
    private final SimulatedRouting routing;

    /** A dataplane on a host with no interfaces yet. */
    public SimulatedDataplane() {
        this(new SimulatedHost());
    }

    /** @param host the machine: its interfaces and neighbours, and what its kernel holds */
    public SimulatedDataplane(SimulatedHost host) {
        this.host = host;
        this.routing = new SimulatedRouting(host);
        // A gateway that stops or starts answering is a change the controller hears of, as from BIRD.
        host.watch(() -> routing.recheck(false));
        this.tables = new EngineTables();
        this.engine = new LoadBalancer(tables.configure(process), new FragmentTable(4096, 64, 2048, 2_000_000_000L),
                () -> now);
        // Interfaces are numbered as they are first seen, as a kernel gives them indexes.
        this.walk = new PacketWalk(engine, name -> interfaceNumbers.computeIfAbsent(name,
                added -> interfaceNumbers.size() + 1));
        // Single-threaded: each injected packet's trace is handed over before inject returns.
        this.tracing = new LiveTracing(this::interfaceNamed, nanos -> Instant.now(), false);
        tracing.register(engine, null);
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
        DataplaneSpec kernel = host.kernel();
        return kernel.withEngine(process.engine()).withStreams(process.streams()).withFlows(process.flows())
                .withRoutes(kernel.routes().merge(routing.learned())).withGateways(routing.configured());
    }

    /** Applies each op on what is held now; a refused one is skipped and the others still apply. */
    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        List<ApplyResult.Refusal> refusals = new ArrayList<>();
        try {
            DataplaneSpec current = actual();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                Optional<String> refused = kernelRefusal(op);
                Either<String, DataplaneSpec> next = refused.isPresent() ? Either.left(refused.get())
                        : op.effect(current);
                if (next.isLeft()) {
                    refusals.add(new ApplyResult.Refusal(i, op, next.getLeft()));
                    continue;
                }
                current = next.get();
            }
            host.kernel(DataplaneSpec.empty().withQueueing(current.queueing()).withVipElements(current.vipElements())
                    .withDefragExemptions(current.defragExemptions()).withPortNats(current.portNats())
                    .withRules(current.rules())
                    .withRoutes(current.routes().filterKeys(table -> table.number() != RoutingTable.GATEWAYS)));
            process = DataplaneSpec.empty().withEngine(current.engine()).withStreams(current.streams())
                    .withFlows(current.flows());
            if (!current.gateways().equals(routing.configured())) {
                routing.configure(current.gateways());
            }
            return refusals.isEmpty() ? new ApplyResult.Applied(ops.size())
                    : new ApplyResult.Failed(ops.size() - refusals.size(), refusals);
        } finally {
            engine.configure(tables.configure(process));
        }
    }

    /**
     * What the kernel refuses that the ops' model cannot know: a next hop through an interface that is down. An
     * interface the host was never told of is taken to exist (external interfaces need not be observed).
     */
    private Optional<String> kernelRefusal(Op op) {
        if (op instanceof Op.SetRoute route && route.nexthops().exists(hop -> host.interfaces().get(hop.device())
                .exists(link -> !link.up()))) {
            return Optional.of("RTNETLINK answers: Network is down");
        }
        return Optional.empty();
    }

    /** The simulator's machine is whatever the log says: it observes nothing itself. */
    @Override
    public boolean observesMachine() {
        return false;
    }

    /** Only the simulated routing daemon's sessions: the machine is the log's. */
    @Override
    public List<ObservationCommand> observe(State state) {
        return GatewayObservations.of(state, routing);
    }

    @Override
    public void follow(Machine machine) {
        host.become(machine);
        routing.recheck(false);
    }

    @Override
    public List<GatewaySession> gatewaySessions() {
        return routing.sessions();
    }

    /** Changes made to the host by hand (a test's, an operator's) are told, and the sessions' changes. */
    @Override
    public void onChange(Runnable changed) {
        host.watch(changed);
        routing.onChange(changed);
    }

    /**
     * Sends a packet into the dataplane as if it arrived on {@code ingress}, or, with ingress {@code "local"}, as
     * if this host sent it (the output chain queues only ICMP to a VIP); the rule that queues it counts it.
     *
     * @return every step it took and how it ended
     */
    public synchronized PacketTrace inject(byte[] packet, String ingress) {
        now += TICK_NANOS;
        PacketTrace trace = walk.walk(actual(), host.machine(), packet, ingress);
        if (trace.queuedBy() != null) {
            long[] counts = ruleCounters.computeIfAbsent(trace.queuedBy(), rule -> new long[2]);
            counts[0]++;
            counts[1] += packet.length;
        }
        if (trace.fwmark() != 0) {
            targetHits.merge(trace.fwmark(), 1L, Long::sum);
        }
        tracing.drain();
        return trace;
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        return inject(packet, ingress);
    }

    private String interfaceNamed(int number) {
        return interfaceNumbers.entrySet().stream().filter(entry -> entry.getValue() == number)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Follows the packets injected or traced from now on. */
    @Override
    public AutoCloseable traceLive(LiveTraceRequest request, Consumer<LiveTrace> sink) {
        return tracing.follow(request, sink);
    }

    @Override
    public synchronized List<Rendering> render() {
        return LinuxViews.all(actual(), host.machine(), ruleCounters, engine.counts().flows(), tables::maglev);
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

    /** The packets injected or traced, as its engine counted them. */
    @Override
    public synchronized PacketCounters counters() {
        return PacketCounters.of(List.of(engine.counts()), Map.of());
    }

    @Override
    public void close() {
        // Nothing is held outside the heap; followers are let go.
        tracing.close();
        routing.close();
    }
}
