package io.statelesslb.nfqueue.dataplane;

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
import io.statelesslb.domain.plan.EgressRule;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import io.statelesslb.domain.state.State;
import io.statelesslb.engine.EngineConfig;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.nftables.Chain;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.QueueSupport;
import io.statelesslb.nfqueue.nftables.Rule;
import io.statelesslb.nfqueue.nftables.Table;
import io.statelesslb.nfqueue.nftables.VipSet;
import io.statelesslb.nfqueue.queue.NfQueue;
import io.statelesslb.nfqueue.route.FibRule;
import io.statelesslb.nfqueue.route.Route;
import io.statelesslb.nfqueue.route.Rtnetlink;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real kernel as a dataplane: nf_tables holds the VIP sets and queues their packets to NFQUEUE, where worker
 * threads run the engine and set each packet's fwmark; policy routing (rules and routes over rtnetlink) takes it
 * to its target, and VIP replies to the gateways. Operations take effect on the model first (so both backends
 * refuse alike), then on the kernel ({@link KernelOps}); the first one the kernel refuses stops the rest, with the
 * kernel's words.
 *
 * <p>{@link #actual()} reads back what the kernel holds: the VIP set elements, the egress and target rules, the
 * gateways' and targets' routes. The engine's part (Maglev tables, slots, flows) is what the NFQUEUE workers hold
 * in this process; the defragmentation exemptions and the announcements are, for now, what this process applied.
 * Each apply starts from what is read back, so the ops' effects are checked against the kernel as it is.
 *
 * <p>The three nf_tables tables are stateless-lb's own: at open they are replaced by fresh, empty ones, so a restart
 * never finds stale rules or set elements; stale policy routing is cleared too.
 */
public final class KernelDataplane implements Dataplane {

    private static final Logger LOG = LoggerFactory.getLogger(KernelDataplane.class);

    static final String NFQLB = "meridio-nfqlb";
    static final String NAT = "meridio-nat";
    static final String DEFRAG = "meridio-defrag";
    static final String PRE_DEFRAG = "pre-defrag";
    static final String IPV4_VIPS = "ipv4-vips";
    static final String IPV6_VIPS = "ipv6-vips";
    private static final int FILTER = 0;
    private static final int RAW = -300;
    private static final int BEFORE_DEFRAG = -500;
    private static final int NFPROTO_IPV4 = 2;
    private static final int NFPROTO_IPV6 = 10;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    /** Routing-table numbers from here up are stateless-lb's: 4096 for the gateways, then one per target fwmark. */
    private static final int FIRST_TABLE = EgressRule.GATEWAY_TABLE;

    private final Rtnetlink route;
    private final NfTables nft;
    /** Reads go over connections of their own, so that a read never waits for an apply, nor an apply for a read. */
    private final Rtnetlink routeReader;
    private final NfTables nftReader;
    private final KernelMachine machine;
    private final QueueSupport queueSupport;
    private final EngineTables engineTables = new EngineTables(false);
    private final List<QueueWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LoadBalancer traceEngine;
    private final PacketWalk walk;
    /** What took effect through this process: the engine's part, the announcements, the exemptions. */
    private DataplaneSpec applied = DataplaneSpec.empty();

    private KernelDataplane(Rtnetlink route, NfTables nft, Rtnetlink routeReader, NfTables nftReader,
                            QueueSupport queueSupport) {
        this.route = route;
        this.nft = nft;
        this.routeReader = routeReader;
        this.nftReader = nftReader;
        this.machine = new KernelMachine(routeReader);
        this.queueSupport = queueSupport;
        // Traces decide with an engine of their own: the workers' fragment tables are theirs alone.
        this.traceEngine = new LoadBalancer(engineTables.configure(applied), new FragmentTable(64, 4, 2048,
                2_000_000_000L), System::nanoTime);
        this.walk = new PacketWalk(traceEngine);
    }

    /**
     * Takes over the kernel's dataplane: fresh nf_tables tables, and {@code queues} NFQUEUE queues from 0 with a
     * worker thread each.
     *
     * @param namespace a network namespace file ({@code /run/netns/NAME}), or null for this process's own
     * @throws NetlinkException when the kernel refuses (no privileges, no NFQUEUE, a queue bound elsewhere)
     */
    public static KernelDataplane open(Path namespace, int queues) {
        List<AutoCloseable> opened = new ArrayList<>();
        KernelDataplane dataplane;
        try {
            NfTables nft = opened(opened, new NfTables(JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_NETFILTER),
                    1));
            Rtnetlink route = opened(opened, new Rtnetlink(JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_ROUTE),
                    1));
            NfTables nftReader = opened(opened, new NfTables(JnaNetlinkSocket.openIn(namespace,
                    Netlink.NETLINK_NETFILTER), 1));
            Rtnetlink routeReader = opened(opened, new Rtnetlink(JnaNetlinkSocket.openIn(namespace,
                    Netlink.NETLINK_ROUTE), 1));
            dataplane = new KernelDataplane(route, nft, routeReader, nftReader, QueueSupport.probe(nft));
        } catch (RuntimeException e) {
            opened.forEach(KernelDataplane::closeQuietly);
            throw e;
        }
        try {
            dataplane.replaceTables(queues);
            dataplane.clearPolicyRouting();
            EngineConfig config = dataplane.engineTables.configure(DataplaneSpec.empty());
            for (int queue = 0; queue < queues; queue++) {
                JnaNetlinkSocket queueSocket = JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_NETFILTER,
                        QueueWorker.RECEIVE_TIMEOUT);
                QueueWorker worker = new QueueWorker(NfQueue.bind(queueSocket, queue), config);
                Thread thread = new Thread(worker, "nfqueue-" + queue);
                thread.setDaemon(true);
                dataplane.workers.add(worker);
                dataplane.threads.add(thread);
                thread.start();
            }
            LOG.info("kernel dataplane: {} queue(s), queueing by {}", queues, dataplane.queueSupport);
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
            LOG.debug("closing after a failed open: {}", e.toString());
        }
    }

    /** {@code nft delete table} of ours, then {@code nft -f} of the empty scaffold, as {@code nft list} shows it. */
    private void replaceTables(int queues) {
        for (String table : List.of(NFQLB, NAT, DEFRAG)) {
            try {
                nft.batch().deleteTable(new Table(table)).commit();
            } catch (NetlinkException e) {
                if (e.errno() != NetlinkException.ENOENT) {
                    throw e;
                }
            }
        }
        Expression queue = queueSupport.queue(0, queues);
        nft.batch()
                .addTable(new Table(NFQLB))
                .addSet(new VipSet(NFQLB, IPV4_VIPS, Family.IPV4, 1))
                .addSet(new VipSet(NFQLB, IPV6_VIPS, Family.IPV6, 2))
                .addChain(new Chain(NFQLB, "nfqlb", Chain.Hook.PREROUTING, FILTER))
                .addChain(new Chain(NFQLB, "nfqlb-local", Chain.Hook.OUTPUT, FILTER))
                .addRule(new Rule(NFQLB, "nfqlb", vipMatch(Family.IPV4, -1, queue)))
                .addRule(new Rule(NFQLB, "nfqlb", vipMatch(Family.IPV6, -1, queue)))
                .addRule(new Rule(NFQLB, "nfqlb-local", vipMatch(Family.IPV4, IPPROTO_ICMP, queue)))
                .addRule(new Rule(NFQLB, "nfqlb-local", vipMatch(Family.IPV6, IPPROTO_ICMPV6, queue)))
                .addTable(new Table(NAT))
                .addTable(new Table(DEFRAG))
                .addChain(new Chain(DEFRAG, PRE_DEFRAG, Chain.Hook.PREROUTING, BEFORE_DEFRAG))
                .addChain(new Chain(DEFRAG, "in", Chain.Hook.PREROUTING, RAW))
                .addChain(new Chain(DEFRAG, "out", Chain.Hook.OUTPUT, RAW))
                .addRule(new Rule(DEFRAG, "in", List.of(new Expression.Notrack())))
                .addRule(new Rule(DEFRAG, "in", List.of(new Expression.CtState(), new Expression.Mask(0x40),
                        new Expression.Cmp(false, Expression.hostOrder(0)), new Expression.Accept())))
                .addRule(new Rule(DEFRAG, "out", List.of(new Expression.Notrack())))
                .commit();
    }

    /**
     * Removes what an earlier run left in policy routing: the rules that steer by fwmark, or from a VIP, into
     * stateless-lb's tables (4096 and the fwmark tables above it), and those tables' default routes. The first
     * reconcile puts back what the state needs, so nothing is duplicated and nothing stale stays.
     */
    private void clearPolicyRouting() {
        for (Family family : Family.values()) {
            Set<Integer> tables = new java.util.TreeSet<>();
            for (FibRule rule : route.rules(family)) {
                if (rule.table() >= EgressRule.GATEWAY_TABLE && (rule.fwmark() != 0 || rule.source() != null)) {
                    route.deleteRule(rule);
                    tables.add(rule.table());
                }
            }
            for (int table : tables) {
                try {
                    route.deleteDefaultRoute(family, table);
                } catch (NetlinkException e) {
                    if (e.errno() != NetlinkException.ESRCH && e.errno() != NetlinkException.ENOENT) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * {@code [meta l4proto P] ip daddr @ipv4-vips counter queue to 0-N} and the IPv6 twin.
     *
     * @param l4proto the protocol to match, or -1 for any
     */
    private static List<Expression> vipMatch(Family family, int l4proto, Expression queue) {
        List<Expression> expressions = new ArrayList<>();
        if (l4proto >= 0) {
            expressions.add(new Expression.Meta(Expression.Meta.L4PROTO));
            expressions.add(new Expression.Cmp(true, new byte[] {(byte) l4proto}));
        }
        boolean v4 = family == Family.IPV4;
        expressions.add(new Expression.Meta(Expression.Meta.NFPROTO));
        expressions.add(new Expression.Cmp(true, new byte[] {(byte) (v4 ? NFPROTO_IPV4 : NFPROTO_IPV6)}));
        // The destination address: offset 16 of an IPv4 header, 24 of an IPv6 one.
        expressions.add(new Expression.Payload(v4 ? 16 : 24, v4 ? 4 : 16));
        expressions.add(new Expression.Lookup(v4 ? IPV4_VIPS : IPV6_VIPS, v4 ? 1 : 2));
        expressions.add(new Expression.Counter());
        expressions.add(queue);
        return expressions;
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public DataplaneSpec actual() {
        DataplaneSpec here;
        synchronized (this) {
            here = applied;
        }
        synchronized (routeReader) {
            return readBack(here);
        }
    }

    /**
     * @param here what took effect through this process: it gives the parts not read from the kernel, and the
     *             stream each target fwmark belongs to
     * @return {@code here} with what the kernel holds in place of what it was asked for
     */
    private DataplaneSpec readBack(DataplaneSpec here) {
        Map<Integer, String> names = KernelMachine.names(routeReader.links());
        SortedSet<Cidr> vipElements = TreeSet.empty();
        SortedSet<EgressRule> egressRules = TreeSet.empty();
        SortedMap<Family, GatewayRoute> gatewayRoutes = TreeMap.empty();
        Map<Integer, String> streamOfFwmark = new HashMap<>();
        here.streams().values().forEach(plan -> plan.paths().forEach(path -> streamOfFwmark.put(path.fwmark(),
                plan.stream())));
        Map<String, SortedSet<TargetPath>> paths = new HashMap<>();
        for (Family family : Family.values()) {
            vipElements = vipElements.addAll(elements(family));
            Map<Integer, Route> defaults = new HashMap<>();
            for (Route route : routeReader.routes(family)) {
                if (route.table() >= FIRST_TABLE && route.destination().prefixLength() == 0) {
                    defaults.put(route.table(), route);
                }
            }
            Route gateways = defaults.get(EgressRule.GATEWAY_TABLE);
            if (gateways != null) {
                gatewayRoutes = gatewayRoutes.put(family, new GatewayRoute(family, gateways.table(),
                        TreeSet.ofAll(gateways.nexthops().stream().map(hop -> new Nexthop(hop.via(),
                                names.getOrDefault(hop.interfaceIndex(), "if" + hop.interfaceIndex()))).toList())));
            }
            for (FibRule rule : routeReader.rules(family)) {
                if (rule.source() != null && rule.fwmark() == 0 && rule.table() == EgressRule.GATEWAY_TABLE) {
                    egressRules = egressRules.add(new EgressRule(rule.source(), rule.priority(), rule.table()));
                }
                Route target = defaults.get(rule.table());
                String stream = streamOfFwmark.get(rule.fwmark());
                // A rule without its route, or of a fwmark no stream here has, is not a path this process can name.
                if (rule.source() == null && rule.fwmark() != 0 && target != null && stream != null
                        && target.nexthops().size() == 1) {
                    Route.Nexthop hop = target.nexthops().get(0);
                    paths.merge(stream, TreeSet.of(new TargetPath(family, rule.fwmark(), rule.table(), rule.priority(),
                            hop.via(), names.getOrDefault(hop.interfaceIndex(), "if" + hop.interfaceIndex()))),
                            SortedSet::addAll);
                }
            }
        }
        SortedMap<String, StreamPlan> streams = here.streams().map((name, plan) -> io.vavr.Tuple.of(name,
                plan.withPaths(paths.getOrDefault(name, TreeSet.empty()))));
        return here.withVipElements(vipElements).withEgressRules(egressRules).withGatewayRoutes(gatewayRoutes)
                .withStreams(streams);
    }

    /** {@code nft list set inet meridio-nfqlb ipv4-vips}: none when the set is gone. */
    private List<Cidr> elements(Family family) {
        try {
            return nftReader.elements(NFQLB, family == Family.IPV4 ? IPV4_VIPS : IPV6_VIPS, family);
        } catch (NetlinkException e) {
            if (e.errno() == NetlinkException.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * Applies each op on what the kernel holds now (read back first, so that an object deleted or added behind the
     * controller's back is seen as such), then on the kernel itself.
     */
    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        try {
            synchronized (routeReader) {
                applied = readBack(applied);
            }
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                Either<String, DataplaneSpec> next = op.effect(applied);
                if (next.isLeft()) {
                    return new ApplyResult.Failed(i, op, next.getLeft());
                }
                try {
                    op.accept(new KernelOps(route, nft, next.get()));
                } catch (NetlinkException e) {
                    return new ApplyResult.Failed(i, op, e.getMessage());
                }
                applied = next.get();
            }
            return new ApplyResult.Applied(ops.size());
        } finally {
            // Whatever was applied, the engine decides by it.
            EngineConfig config = engineTables.configure(applied);
            workers.forEach(worker -> worker.configure(config));
            traceEngine.configure(config);
        }
    }

    /** The kernel's interfaces and neighbours are read from the kernel: observations from outside are refused. */
    @Override
    public boolean observesMachine() {
        return true;
    }

    @Override
    public List<ObservationCommand> observe(State state) {
        synchronized (routeReader) {
            return machine.changesSince(state);
        }
    }

    /** The kernel is asked, not told: what the log recorded of the machine changes nothing here. */
    @Override
    public void follow(Machine recorded) {
    }

    @Override
    public List<Rendering> render() {
        DataplaneSpec actual = actual();
        Machine now = machine();
        synchronized (this) {
            return LinuxViews.all(actual, now, Map.of(), engineTables::maglev);
        }
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        DataplaneSpec actual = actual();
        Machine now = machine();
        synchronized (this) {
            return walk.walk(actual, now, packet, ingress);
        }
    }

    private Machine machine() {
        synchronized (routeReader) {
            return machine.read();
        }
    }

    @Override
    public long packetsDecided() {
        return packets();
    }

    /** @return how many packets the workers have given a verdict, all queues together */
    public long packets() {
        return workers.stream().mapToLong(QueueWorker::packets).sum();
    }

    /** Stops the workers and closes the sockets; the kernel's objects stay (the next open replaces the tables). */
    @Override
    public void close() {
        workers.forEach(QueueWorker::stop);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        route.close();
        nft.close();
        routeReader.close();
        nftReader.close();
    }
}
