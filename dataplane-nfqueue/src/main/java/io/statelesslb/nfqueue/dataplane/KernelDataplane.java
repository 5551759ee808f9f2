package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Apply;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.engine.EngineConfig;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.EgressRule;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.TargetPath;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.nftables.Chain;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.QueueSupport;
import io.statelesslb.nfqueue.nftables.Rule;
import io.statelesslb.nfqueue.nftables.SetElements;
import io.statelesslb.nfqueue.nftables.Table;
import io.statelesslb.nfqueue.nftables.VipSet;
import io.statelesslb.nfqueue.queue.NfQueue;
import io.statelesslb.nfqueue.route.FibRule;
import io.statelesslb.nfqueue.route.Route;
import io.statelesslb.nfqueue.route.Rtnetlink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real kernel as a dataplane: nf_tables holds the VIP sets and queues their packets to NFQUEUE, where worker
 * threads run the engine and set each packet's fwmark; policy routing (rules and routes over rtnetlink) takes it
 * to its target, and VIP replies to the gateways. Operations are applied in order through the same model as the
 * simulator's ({@link Apply}), so both refuse alike; the first one the kernel refuses stops the rest, with the
 * kernel's words.
 *
 * <p>The three nf_tables tables are stateless-lb's own: at open they are replaced by fresh, empty ones, so a restart
 * never finds stale rules or set elements. VIP announcements belong to the routing daemon (BIRD), not the kernel:
 * they are kept in the applied state only.
 */
public final class KernelDataplane implements Dataplane, AutoCloseable {

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

    private final Rtnetlink route;
    private final NfTables nft;
    private final QueueSupport queueSupport;
    private final EngineTables engineTables = new EngineTables(false);
    private final List<QueueWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private DataplaneSpec applied = DataplaneSpec.empty();

    private KernelDataplane(Rtnetlink route, NfTables nft, QueueSupport queueSupport) {
        this.route = route;
        this.nft = nft;
        this.queueSupport = queueSupport;
    }

    /**
     * Takes over the kernel's dataplane: fresh nf_tables tables, and {@code queues} NFQUEUE queues from 0 with a
     * worker thread each.
     *
     * @param namespace a network namespace file ({@code /run/netns/NAME}), or null for this process's own
     * @throws NetlinkException when the kernel refuses (no privileges, no NFQUEUE, a queue bound elsewhere)
     */
    public static KernelDataplane open(Path namespace, int queues) {
        NfTables nft = new NfTables(JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_NETFILTER), 1);
        KernelDataplane dataplane = new KernelDataplane(new Rtnetlink(JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_ROUTE), 1), nft,
                QueueSupport.probe(nft));
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
            Set<Integer> tables = new TreeSet<>();
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
    public synchronized DataplaneSpec applied() {
        return applied;
    }

    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        try {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                var next = Apply.apply(applied, op);
                if (next.isLeft()) {
                    return new ApplyResult.Failed(i, op, next.getLeft());
                }
                try {
                    kernel(op, next.get());
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
        }
    }

    /** Makes the kernel do what {@code op} says; {@code next} is the applied state with it. */
    private void kernel(Op op, DataplaneSpec next) {
        if (op instanceof Op.AddTargetPath add) {
            TargetPath path = add.path();
            route.addRoute(Route.defaultRoute(path.family(), path.table(),
                    List.of(new Route.Nexthop(path.via(), route.interfaceIndex(path.device())))));
            route.addRule(new FibRule(path.family(), path.rulePriority(), path.fwmark(), null, path.table()));
        } else if (op instanceof Op.RemoveTargetPath remove) {
            TargetPath path = remove.path();
            route.deleteRule(new FibRule(path.family(), path.rulePriority(), path.fwmark(), null, path.table()));
            route.deleteDefaultRoute(path.family(), path.table());
        } else if (op instanceof Op.AddVipElement add) {
            nft.batch().addElements(vipElements(add.vip())).commit();
        } else if (op instanceof Op.RemoveVipElement remove) {
            nft.batch().deleteElements(vipElements(remove.vip())).commit();
        } else if (op instanceof Op.AddEgressRule add) {
            route.addRule(egress(add.rule()));
        } else if (op instanceof Op.RemoveEgressRule remove) {
            route.deleteRule(egress(remove.rule()));
        } else if (op instanceof Op.SetGatewayRoute set) {
            GatewayRoute gateways = set.route();
            List<Route.Nexthop> hops = new ArrayList<>();
            gateways.nexthops().forEach(hop -> hops.add(new Route.Nexthop(hop.via(), route.interfaceIndex(hop.device()))));
            route.replaceRoute(Route.defaultRoute(gateways.family(), gateways.table(), hops));
        } else if (op instanceof Op.RemoveGatewayRoute remove) {
            route.deleteDefaultRoute(remove.family(), remove.table());
        } else if (op instanceof Op.AddDefragExemption || op instanceof Op.RemoveDefragExemption) {
            // Rules have no names to delete by: the chain is rewritten with the exemptions that remain.
            NfTables.Batch batch = nft.batch().flushChain(DEFRAG, PRE_DEFRAG);
            next.defragExemptions().forEach(pattern -> batch.addRule(new Rule(DEFRAG, PRE_DEFRAG, List.of(
                    new Expression.Meta(Expression.Meta.IIFNAME),
                    Expression.Cmp.interfacePrefix(pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1)
                            : pattern + "\0"),
                    new Expression.Notrack()))));
            batch.commit();
        }
        // Maglev tables, slots and flows live in the engine (configured after the apply); announcements are the
        // routing daemon's.
    }

    private static SetElements vipElements(Cidr vip) {
        return new SetElements(NFQLB, vip.family() == Family.IPV4 ? IPV4_VIPS : IPV6_VIPS, List.of(vip));
    }

    private static FibRule egress(EgressRule rule) {
        return new FibRule(rule.vip().family(), rule.priority(), 0, rule.vip(), rule.table());
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
    }
}
