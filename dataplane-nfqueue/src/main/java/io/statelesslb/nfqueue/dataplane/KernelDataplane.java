package io.statelesslb.nfqueue.dataplane;

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
import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.dataplane.routing.GatewayObservations;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.dataplane.routing.RoutingDaemon;
import io.statelesslb.dataplane.routing.RoutingException;
import io.statelesslb.dataplane.trace.PacketWalk;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.engine.EngineConfig;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.QueueSupport;
import io.statelesslb.nfqueue.nftables.Rule;
import io.statelesslb.nfqueue.route.Rtnetlink;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real kernel as a dataplane: nf_tables holds the VIP sets and queues their packets to NFQUEUE, where worker
 * threads run the engine and set each packet's fwmark; policy routing (rules and routes over rtnetlink) takes it
 * to its target, and VIP replies to the gateways.
 *
 * <p>{@link #actual()} reads back what the kernel holds: whether the load balancer's tables are whole and how they
 * queue, the VIP set elements, the exemptions from defragmentation, and every rule and route tagged as
 * stateless-lb's; the engine's part (Maglev tables, slots, flows) is what the NFQUEUE workers hold in this process,
 * and the announcements what this process made. Opening touches nothing: a restart finds the kernel as the last run
 * left it (listening at once on the queues its tables name), and the first reconcile repairs what differs.
 *
 * <p>{@link #apply} takes each op on what is read back: an op that changes nothing (the object is there, or gone
 * already) costs no system call; one the kernel refuses is skipped, the others are applied.
 */
public final class KernelDataplane implements Dataplane {

    private static final Logger LOG = LoggerFactory.getLogger(KernelDataplane.class);

    private final Rtnetlink route;
    private final NfTables nft;
    /** Reads go over connections of their own, so that a read never waits for an apply, nor an apply for a read. */
    private final Rtnetlink routeReader;
    private final NfTables nftReader;
    private final KernelMachine machine;
    private final QueueSupport queueSupport;
    private final LoadBalancerTables tables;
    private final QueueWorkers workers;
    private final KernelWatch watch;
    private final Path namespace;
    private final NeighbourProber prober;
    private final RoutingDaemon routing;
    private final EngineTables engineTables = new EngineTables();
    private final LoadBalancer traceEngine;
    private final PacketWalk walk;
    private final LiveTracing tracing;
    /** Interface names by index, for live traces (read again when an index is not known). */
    private final Map<Integer, String> interfaceNames = new ConcurrentHashMap<>();
    /** The process's part of what is applied: Maglev tables, flows and announcements. */
    private DataplaneSpec process = DataplaneSpec.empty();
    /** What the engines decide by: the process's part as the engine takes it. */
    private EngineConfig engineConfig;

    private KernelDataplane(Path namespace, Rtnetlink route, NfTables nft, Rtnetlink routeReader, NfTables nftReader,
                            QueueSupport queueSupport, KernelWatch watch, NeighbourProber prober,
                            RoutingDaemon routing) {
        this.watch = watch;
        this.prober = prober;
        this.routing = routing;
        this.namespace = namespace;
        this.route = route;
        this.nft = nft;
        this.routeReader = routeReader;
        this.nftReader = nftReader;
        this.machine = new KernelMachine(routeReader, prober);
        this.queueSupport = queueSupport;
        this.tables = new LoadBalancerTables(queueSupport);
        EngineConfig empty = engineTables.configure(process);
        this.engineConfig = empty;
        this.tracing = LiveTracing.onSystemClock(this::interfaceName);
        this.workers = new QueueWorkers(namespace, empty, tracing);
        // Traces decide with an engine of their own: the workers' fragment tables are theirs alone.
        this.traceEngine = new LoadBalancer(empty, new FragmentTable(64, 4, 2048, 2_000_000_000L), System::nanoTime);
        this.walk = new PacketWalk(traceEngine);
    }

    /**
     * {@link #open(Path, Reachability.Settings, RoutingDaemon)} with the default probing of targets, and no routing
     * daemon (gateway sessions are refused): for tools that only read or clean the kernel, and for tests.
     */
    public static KernelDataplane open(Path namespace) {
        return open(namespace, Reachability.Settings.DEFAULTS, RoutingDaemon.none("no routing daemon runs here"));
    }

    /**
     * Opens the kernel's dataplane without changing it, and listens on the queues its tables name if they are there
     * already (a restart).
     *
     * @param namespace a network namespace file ({@code /run/netns/NAME}), or null for this process's own
     * @param probes    how often the targets are probed, and when they are judged gone or back
     * @param routing   the routing daemon that runs the gateway sessions and writes the gateways' table; closed with
     *                  the dataplane
     * @throws NetlinkException when the kernel refuses (no privileges, no NFQUEUE, a queue another process holds)
     */
    public static KernelDataplane open(Path namespace, Reachability.Settings probes, RoutingDaemon routing) {
        List<AutoCloseable> opened = new ArrayList<>();
        KernelDataplane dataplane;
        try {
            JnaNetlinkSocket nftSocket = opened(opened, JnaNetlinkSocket.openIn(namespace,
                    Netlink.NETLINK_NETFILTER));
            JnaNetlinkSocket routeSocket = opened(opened, JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_ROUTE));
            NfTables nft = new NfTables(nftSocket, 1);
            Rtnetlink route = new Rtnetlink(routeSocket, 1);
            NfTables nftReader = opened(opened, new NfTables(JnaNetlinkSocket.openIn(namespace,
                    Netlink.NETLINK_NETFILTER), 1));
            Rtnetlink routeReader = opened(opened, new Rtnetlink(JnaNetlinkSocket.openIn(namespace,
                    Netlink.NETLINK_ROUTE), 1));
            KernelWatch watch = opened(opened, new KernelWatch(namespace, routeSocket.portId(),
                    nftSocket.portId()));
            NeighbourProber prober = opened(opened, new NeighbourProber(new Rtnetlink(JnaNetlinkSocket.openIn(
                    namespace, Netlink.NETLINK_ROUTE), 1), probes));
            dataplane = new KernelDataplane(namespace, route, nft, routeReader, nftReader, QueueSupport.probe(nft),
                    watch, prober, routing);
        } catch (RuntimeException e) {
            opened.forEach(KernelDataplane::closeQuietly);
            closeQuietly(routing);
            throw e;
        }
        try {
            var queueing = dataplane.tables.readQueueing(dataplane.nftReader);
            dataplane.workers.follow(queueing);
            LOG.info("kernel dataplane: queueing by {}; {}", dataplane.queueSupport, queueing
                    .map(q -> "the tables are there, listening on queues " + q.first() + "-" + q.last())
                    .getOrElse("the tables are not there yet"));
            return dataplane;
        } catch (RuntimeException e) {
            dataplane.close();
            throw e;
        }
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.debug("closing after a failed open: {}", e.getMessage());
        }
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public DataplaneSpec actual() {
        DataplaneSpec here;
        synchronized (this) {
            here = process;
        }
        synchronized (routeReader) {
            return readBack(here);
        }
    }

    /** @return {@code process}'s engine part and announcements, with what the kernel holds for the rest */
    private DataplaneSpec readBack(DataplaneSpec process) {
        Map<Integer, String> names = KernelMachine.names(routeReader.links());
        SortedSet<Cidr> vipElements = TreeSet.empty();
        for (Family family : Family.values()) {
            vipElements = vipElements.addAll(tables.elements(nftReader, family));
        }
        return DataplaneSpec.empty()
                .withQueueing(tables.readQueueing(nftReader))
                .withVipElements(vipElements)
                .withDefragExemptions(tables.readExemptions(nftReader))
                .withPortNats(tables.readPortNats(nftReader))
                .withRules(OwnedRouting.rules(routeReader))
                .withRoutes(OwnedRouting.routes(routeReader, names))
                .withEngine(process.engine())
                .withStreams(process.streams())
                .withFlows(process.flows())
                .withGateways(routing.configured());
    }

    /**
     * Applies each op on what the kernel holds now (read back first, so that an object deleted or added behind the
     * controller's back is seen as such), then on the kernel itself; a refused op is skipped.
     */
    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        if (ops.isEmpty()) {
            // Up to date: workers bound since the last apply (a start) may read now, with what is applied.
            workers.configure(engineConfig);
            return new ApplyResult.Applied(0);
        }
        List<ApplyResult.Refusal> refusals = new ArrayList<>();
        DataplaneSpec current;
        try {
            synchronized (routeReader) {
                current = readBack(process);
            }
        } catch (NetlinkException e) {
            return ApplyResult.Failed.whole("the kernel could not be read: " + e.getMessage());
        }
        try {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                Either<String, DataplaneSpec> next = op.effect(current);
                if (next.isLeft()) {
                    refusals.add(new ApplyResult.Refusal(i, op, next.getLeft()));
                    continue;
                }
                if (next.get().equals(current)) {
                    continue; // done already: the kernel holds what the op asks for
                }
                try {
                    op.accept(new KernelOps(route, nft, tables, workers, next.get()));
                } catch (NetlinkException e) {
                    refusals.add(new ApplyResult.Refusal(i, op, e.getMessage()));
                    continue;
                }
                current = next.get();
            }
            current = configureRouting(ops, current, refusals);
            return refusals.isEmpty() ? new ApplyResult.Applied(ops.size())
                    : new ApplyResult.Failed(ops.size() - refusals.size(), refusals);
        } finally {
            process = DataplaneSpec.empty().withEngine(current.engine()).withStreams(current.streams())
                    .withFlows(current.flows());
            // Whatever was applied, the engine decides by it.
            engineConfig = engineTables.configure(process);
            workers.configure(engineConfig);
            traceEngine.configure(engineConfig);
        }
    }

    /**
     * Hands the routing daemon the gateway sessions the ops left, in one configuration: a refusal refuses every
     * gateway op, and the daemon runs on with what it had.
     *
     * @return {@code current} with the sessions the daemon runs
     */
    private DataplaneSpec configureRouting(List<Op> ops, DataplaneSpec current, List<ApplyResult.Refusal> refusals) {
        if (current.gateways().equals(routing.configured())) {
            return current;
        }
        try {
            routing.configure(current.gateways());
        } catch (RoutingException e) {
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i) instanceof Op.PutGateway || ops.get(i) instanceof Op.RemoveGateway) {
                    refusals.add(new ApplyResult.Refusal(i, ops.get(i), e.getMessage()));
                }
            }
        }
        return current.withGateways(routing.configured());
    }

    /**
     * Removes everything stateless-lb owns from the kernel, as kube-proxy's {@code --cleanup} does: every rule and
     * route tagged as its own, then its three nf_tables tables whatever is left in them.
     *
     * @param dryRun whether to only say what would be removed
     * @return what is removed (or would be), as the commands that remove it
     * @throws NetlinkException naming the first refusal of the kernel's
     */
    public synchronized List<String> cleanup(boolean dryRun) {
        DataplaneSpec current;
        synchronized (routeReader) {
            current = readBack(process);
        }
        List<Op> ops = new ArrayList<>();
        current.rules().forEach(rule -> ops.add(new Op.RemoveRule(rule)));
        // The gateways' table is BIRD's: its routes go when BIRD stops.
        current.routes().keySet().filter(table -> table.number() != RoutingTable.GATEWAYS)
                .forEach(table -> ops.add(new Op.RemoveRoute(table)));
        List<String> removed = new ArrayList<>(ops.stream().map(Op::describe).toList());
        List<String> present = nftReader.tables().stream().filter(LoadBalancerTables::owns).toList();
        present.forEach(table -> removed.add("nft delete table inet " + table));
        if (!dryRun) {
            // Straight to the kernel: nothing is active any more that the ops' safety rules would protect.
            KernelOps kernel = new KernelOps(route, nft, tables, workers, DataplaneSpec.empty());
            ops.forEach(op -> op.accept(kernel));
            tables.remove(nft);
            workers.follow(io.vavr.control.Option.none());
            process = DataplaneSpec.empty();
        }
        return removed;
    }

    /** The kernel's interfaces and neighbours are read from the kernel: observations from outside are refused. */
    @Override
    public boolean observesMachine() {
        return true;
    }

    @Override
    public List<ObservationCommand> observe(State state) {
        List<ObservationCommand> reports;
        synchronized (routeReader) {
            reports = new ArrayList<>(machine.changesSince(state));
        }
        reports.addAll(GatewayObservations.of(state, routing));
        return reports;
    }

    @Override
    public List<GatewaySession> gatewaySessions() {
        return routing.sessions();
    }

    /** The kernel's notifications, but for those of the changes this dataplane made itself. */
    @Override
    public void onChange(Runnable changed) {
        watch.watch(changed);
        prober.watch(changed);
        routing.onChange(changed);
    }

    /** The kernel is asked, not told: what the log recorded of the machine changes nothing here. */
    @Override
    public void follow(Machine recorded) {
    }

    /** What is read back, with the packets and bytes the kernel counted on each queueing and translating rule. */
    @Override
    public List<Rendering> render() {
        DataplaneSpec actual = actual();
        Machine now = machine();
        Map<String, long[]> counted = new HashMap<>();
        actual.queueing().forEach(queueing -> {
            List<Rule> rules = tables.countedRules(nftReader);
            List<String> texts = List.of(LinuxViews.queueRule(Family.IPV4, false, queueing),
                    LinuxViews.queueRule(Family.IPV6, false, queueing),
                    LinuxViews.queueRule(Family.IPV4, true, queueing),
                    LinuxViews.queueRule(Family.IPV6, true, queueing));
            for (int i = 0; i < Math.min(rules.size(), texts.size()); i++) {
                Expression.Counter counter = rules.get(i).counter();
                if (counter != null) {
                    counted.put(texts.get(i), new long[] {counter.packets(), counter.bytes()});
                }
            }
        });
        for (PortNatRules.Counted rule : tables.countedPortNats(nftReader)) {
            if (rule.counter() != null) {
                counted.put(LinuxViews.portNatRule(rule.nat(), rule.towardsTargets()),
                        new long[] {rule.counter().packets(), rule.counter().bytes()});
            }
        }
        Map<String, Long> matches = counters().byFlow();
        synchronized (this) {
            return LinuxViews.all(actual, now, counted, matches, engineTables::maglev);
        }
    }

    /**
     * Without an ingress, a packet from a client is taken to arrive where the gateways' routes leave (the walk's
     * choice), or, when the gateways' table is empty, where the kernel would send a packet back to its source.
     */
    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        DataplaneSpec actual = actual();
        Machine now = machine();
        String arrival = ingress;
        boolean whole = packet.length >= (familyOf(packet) == Family.IPV6 ? 40 : 20);
        if (arrival == null && whole && actual.routes().keySet().forAll(table ->
                table.number() != RoutingTable.GATEWAYS || table.family() != familyOf(packet))) {
            int index;
            synchronized (routeReader) {
                index = routeReader.outputInterface(PacketWalk.source(packet));
            }
            arrival = index == 0 ? null : interfaceName(index);
        }
        synchronized (this) {
            return walk.walk(actual, now, packet, arrival);
        }
    }

    private static Family familyOf(byte[] packet) {
        return (packet[0] & 0xF0) == 0x60 ? Family.IPV6 : Family.IPV4;
    }

    /** Follows the NFQUEUE workers' packets live: their engines are tapped while anyone follows. */
    @Override
    public AutoCloseable traceLive(LiveTraceRequest request, Consumer<LiveTrace> sink) {
        return tracing.follow(request, sink);
    }

    /** @return the name of the interface with {@code index}, from the kernel's links; null when there is none */
    private String interfaceName(int index) {
        String known = interfaceNames.get(index);
        if (known != null) {
            return known;
        }
        synchronized (routeReader) {
            routeReader.links().forEach(link -> interfaceNames.put(link.index(), link.name()));
        }
        return interfaceNames.get(index);
    }

    private Machine machine() {
        synchronized (routeReader) {
            return machine.read();
        }
    }

    /** The workers' counts, and each queue's drops as {@code /proc/net/netfilter/nfnetlink_queue} has them. */
    @Override
    public PacketCounters counters() {
        return PacketCounters.of(workers.counts(), QueueStatistics.read(namespace));
    }

    /** @return how many packets the workers have given a verdict, all queues together */
    public long packets() {
        return counters().decided();
    }

    /** Stops the workers and closes the sockets; the kernel's objects stay, for the next run to find. */
    @Override
    public void close() {
        // Withdrawn first: nothing is announced that this dataplane no longer forwards.
        routing.close();
        tracing.close();
        watch.close();
        prober.close();
        workers.close();
        route.close();
        nft.close();
        routeReader.close();
        nftReader.close();
    }
}
