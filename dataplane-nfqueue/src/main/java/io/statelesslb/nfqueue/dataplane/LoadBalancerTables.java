package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.PortNatSpec;
import io.statelesslb.domain.plan.Queueing;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.nftables.Chain;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.QueueSupport;
import io.statelesslb.nfqueue.nftables.Rule;
import io.statelesslb.nfqueue.nftables.SetElements;
import io.statelesslb.nfqueue.nftables.Table;
import io.statelesslb.nfqueue.nftables.VipSet;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;

/**
 * The load balancer's three nf_tables tables, as the seed lists them: {@code meridio-nfqlb} (the VIP sets and the
 * chains that queue their traffic), {@code meridio-nat}, and {@code meridio-defrag} (the conduits' exemptions from
 * defragmentation, and the chains that keep everything else untracked). Written whole, read back whole: a table,
 * set, chain or fixed rule missing or changed makes them "not whole", and installing them again restores what is
 * missing while keeping the sets' elements and the exemptions.
 */
final class LoadBalancerTables {

    static final String NFQLB = "meridio-nfqlb";
    static final String NAT = "meridio-nat";
    static final String DEFRAG = "meridio-defrag";
    static final String PRE_DEFRAG = "pre-defrag";
    static final String IPV4_VIPS = "ipv4-vips";
    static final String IPV6_VIPS = "ipv6-vips";
    static final String PORT_NAT_IN = "port-nat-in";
    static final String PORT_NAT_OUT = "port-nat-out";

    private static final int FILTER = 0;
    private static final int RAW = -300;
    private static final int BEFORE_DEFRAG = -500;
    private static final int DSTNAT = -100;
    private static final int SRCNAT = 100;
    private static final int NFPROTO_IPV4 = 2;
    private static final int NFPROTO_IPV6 = 10;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    private static final Chain NFQLB_CHAIN = new Chain(NFQLB, "nfqlb", Chain.Hook.PREROUTING, FILTER);
    private static final Chain NFQLB_LOCAL = new Chain(NFQLB, "nfqlb-local", Chain.Hook.OUTPUT, FILTER);
    private static final Chain PRE_DEFRAG_CHAIN = new Chain(DEFRAG, PRE_DEFRAG, Chain.Hook.PREROUTING, BEFORE_DEFRAG);
    private static final Chain IN = new Chain(DEFRAG, "in", Chain.Hook.PREROUTING, RAW);
    private static final Chain OUT = new Chain(DEFRAG, "out", Chain.Hook.OUTPUT, RAW);
    /** The targets' replies get their port back before they are routed. */
    private static final Chain PORT_NAT_IN_CHAIN = new Chain(NAT, PORT_NAT_IN, Chain.Hook.PREROUTING, DSTNAT);
    /** Packets to targets get the target port once routing has chosen their conduit interface. */
    private static final Chain PORT_NAT_OUT_CHAIN = new Chain(NAT, PORT_NAT_OUT, Chain.Hook.POSTROUTING, SRCNAT);
    private static final List<Expression> NOTRACK = List.of(new Expression.Notrack());
    private static final List<Expression> ACCEPT_UNTRACKED = List.of(new Expression.CtState(),
            new Expression.Bitwise(Expression.hostOrder(0x40)), new Expression.Cmp(false, Expression.hostOrder(0)),
            new Expression.Accept());

    private final QueueSupport queueSupport;

    /** @return whether {@code table} is one of the load balancer's (by name, as nf_tables knows tables) */
    static boolean owns(String table) {
        return List.of(NFQLB, NAT, DEFRAG).contains(table);
    }

    LoadBalancerTables(QueueSupport queueSupport) {
        this.queueSupport = queueSupport;
    }

    /**
     * Adds to {@code batch} what makes the tables whole, queueing as asked: {@code nft add} of the tables, sets and
     * chains (kept if there), and the fixed chains flushed and written again.
     */
    void install(NfTables.Batch batch, Queueing queueing) {
        batch.ensureTable(new Table(NFQLB))
                .ensureSet(new VipSet(NFQLB, IPV4_VIPS, Family.IPV4, 1))
                .ensureSet(new VipSet(NFQLB, IPV6_VIPS, Family.IPV6, 2))
                .ensureChain(NFQLB_CHAIN)
                .ensureChain(NFQLB_LOCAL)
                .flushChain(NFQLB, NFQLB_CHAIN.name())
                .flushChain(NFQLB, NFQLB_LOCAL.name());
        for (Rule rule : queueingRules(queueing)) {
            batch.addRule(rule);
        }
        batch.ensureTable(new Table(NAT))
                .ensureTable(new Table(DEFRAG))
                .ensureChain(PRE_DEFRAG_CHAIN)
                .ensureChain(IN)
                .ensureChain(OUT)
                .flushChain(DEFRAG, IN.name())
                .flushChain(DEFRAG, OUT.name())
                .addRule(new Rule(DEFRAG, IN.name(), NOTRACK))
                .addRule(new Rule(DEFRAG, IN.name(), ACCEPT_UNTRACKED))
                .addRule(new Rule(DEFRAG, OUT.name(), NOTRACK));
    }

    /** {@code nft delete table inet T} of each, one by one: a table already gone is not an error. */
    void remove(NfTables nft) {
        for (String table : List.of(NFQLB, NAT, DEFRAG)) {
            try {
                nft.batch().deleteTable(new Table(table)).commit();
            } catch (NetlinkException e) {
                if (e.errno() != NetlinkException.ENOENT) {
                    throw e;
                }
            }
        }
    }

    /**
     * {@code nft flush chain inet meridio-defrag pre-defrag; nft add rule ... iifname "P*" notrack} for each pattern:
     * rules have no names to delete by, so the chain is written again in one transaction.
     */
    void writeExemptions(NfTables.Batch batch, SortedSet<String> patterns) {
        batch.ensureChain(PRE_DEFRAG_CHAIN).flushChain(DEFRAG, PRE_DEFRAG);
        patterns.forEach(pattern -> batch.addRule(new Rule(DEFRAG, PRE_DEFRAG, exemption(pattern))));
    }

    /**
     * {@code nft flush chain inet meridio-nat port-nat-out; nft add rule ... oifname "P*" ip daddr VIP tcp dport 80
     * counter tcp dport set 8080}, and the reverse rule in {@code port-nat-in}, for each translation: both chains
     * written again in one transaction, and removed when there is none.
     */
    void writePortNats(NfTables.Batch batch, SortedSet<PortNatSpec> nats) {
        batch.ensureChain(PORT_NAT_IN_CHAIN).ensureChain(PORT_NAT_OUT_CHAIN)
                .flushChain(NAT, PORT_NAT_IN).flushChain(NAT, PORT_NAT_OUT);
        if (nats.isEmpty()) {
            batch.deleteChain(NAT, PORT_NAT_IN).deleteChain(NAT, PORT_NAT_OUT);
            return;
        }
        for (PortNatSpec nat : nats) {
            batch.addRule(new Rule(NAT, PORT_NAT_OUT, PortNatRules.towardsTargets(nat)));
            batch.addRule(new Rule(NAT, PORT_NAT_IN, PortNatRules.fromTargets(nat)));
        }
    }

    /**
     * @return the translations whose two rules are both there, as stateless-lb writes them; a rule of another shape,
     *         or one of the two alone, is not one (the translation is then written again)
     */
    SortedSet<PortNatSpec> readPortNats(NfTables nft) {
        SortedSet<PortNatSpec> out = TreeSet.empty();
        for (Rule rule : nft.rules(NAT, PORT_NAT_OUT)) {
            out = out.addAll(PortNatRules.read(rule.shape(), true));
        }
        SortedSet<PortNatSpec> in = TreeSet.empty();
        for (Rule rule : nft.rules(NAT, PORT_NAT_IN)) {
            in = in.addAll(PortNatRules.read(rule.shape(), false));
        }
        return out.intersect(in);
    }

    /** @return each translation's rules with what they counted, towards the targets and back */
    List<PortNatRules.Counted> countedPortNats(NfTables nft) {
        List<PortNatRules.Counted> counted = new ArrayList<>();
        for (String chain : List.of(PORT_NAT_IN, PORT_NAT_OUT)) {
            for (Rule rule : nft.rules(NAT, chain)) {
                PortNatRules.read(rule.shape(), chain.equals(PORT_NAT_OUT)).forEach(nat ->
                        counted.add(new PortNatRules.Counted(nat, chain.equals(PORT_NAT_OUT), rule.counter())));
            }
        }
        return counted;
    }

    /** @return the queueing of the tables, when they are whole; none when anything is missing or changed */
    Option<Queueing> readQueueing(NfTables nft) {
        List<String> tables = nft.tables();
        if (!tables.containsAll(List.of(NFQLB, NAT, DEFRAG))) {
            return Option.none();
        }
        List<Chain> nfqlbChains = nft.chains(NFQLB);
        List<Chain> defragChains = nft.chains(DEFRAG);
        if (!nfqlbChains.containsAll(List.of(NFQLB_CHAIN, NFQLB_LOCAL))
                || !defragChains.containsAll(List.of(PRE_DEFRAG_CHAIN, IN, OUT))
                || !shapes(nft.rules(DEFRAG, IN.name())).equals(List.of(NOTRACK, ACCEPT_UNTRACKED))
                || !shapes(nft.rules(DEFRAG, OUT.name())).equals(List.of(NOTRACK))
                || !hasSet(nft, IPV4_VIPS, Family.IPV4) || !hasSet(nft, IPV6_VIPS, Family.IPV6)) {
            return Option.none();
        }
        List<Rule> queueing = new ArrayList<>(nft.rules(NFQLB, NFQLB_CHAIN.name()));
        queueing.addAll(nft.rules(NFQLB, NFQLB_LOCAL.name()));
        Option<Queueing> found = queueingOf(queueing);
        return found.filter(q -> shapes(queueing).equals(shapes(queueingRules(q))));
    }

    /** @return the elements of a VIP set; none when the set is not there */
    List<Cidr> elements(NfTables nft, Family family) {
        try {
            return nft.elements(NFQLB, family == Family.IPV4 ? IPV4_VIPS : IPV6_VIPS, family);
        } catch (NetlinkException e) {
            if (e.errno() == NetlinkException.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    /** @return the interface patterns the {@code pre-defrag} chain exempts; a rule of another shape is not one */
    SortedSet<String> readExemptions(NfTables nft) {
        SortedSet<String> patterns = TreeSet.empty();
        for (Rule rule : nft.rules(DEFRAG, PRE_DEFRAG)) {
            List<Expression> e = rule.shape();
            if (e.size() == 3 && e.get(0).equals(new Expression.Meta(Expression.Meta.IIFNAME))
                    && e.get(1) instanceof Expression.Cmp cmp && cmp.equal()
                    && e.get(2) instanceof Expression.Notrack) {
                String pattern = cmp.interfacePattern();
                if (rule.shape().equals(exemption(pattern))) {
                    patterns = patterns.add(pattern);
                }
            }
        }
        return patterns;
    }

    /** @return the queueing rules of the two chains, each with its counter, as nft lists them in order */
    List<Rule> countedRules(NfTables nft) {
        List<Rule> rules = new ArrayList<>(nft.rules(NFQLB, NFQLB_CHAIN.name()));
        rules.addAll(nft.rules(NFQLB, NFQLB_LOCAL.name()));
        return rules;
    }

    private boolean hasSet(NfTables nft, String set, Family family) {
        try {
            nft.elements(NFQLB, set, family);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == NetlinkException.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** The chains' four rules: {@code [meta l4proto P] ip daddr @ipv4-vips counter queue to 0-N} and the IPv6 twin. */
    private List<Rule> queueingRules(Queueing queueing) {
        Expression queue = queueSupport.queue(queueing.first(), queueing.count(), queueing.bypass(),
                queueing.fanout());
        return List.of(new Rule(NFQLB, NFQLB_CHAIN.name(), vipMatch(Family.IPV4, -1, queue)),
                new Rule(NFQLB, NFQLB_CHAIN.name(), vipMatch(Family.IPV6, -1, queue)),
                new Rule(NFQLB, NFQLB_LOCAL.name(), vipMatch(Family.IPV4, IPPROTO_ICMP, queue)),
                new Rule(NFQLB, NFQLB_LOCAL.name(), vipMatch(Family.IPV6, IPPROTO_ICMPV6, queue)));
    }

    /** @return the queueing the first rule's queue statement names, if it is one */
    private static Option<Queueing> queueingOf(List<Rule> rules) {
        if (rules.isEmpty()) {
            return Option.none();
        }
        List<Expression> expressions = rules.get(0).expressions();
        Expression last = expressions.isEmpty() ? null : expressions.get(expressions.size() - 1);
        if (last instanceof Expression.Queue queue && queue.total() >= 1) {
            return Option.some(new Queueing(queue.first(), queue.total(),
                    (queue.flags() & Expression.Queue.BYPASS) != 0,
                    (queue.flags() & Expression.Queue.CPU_FANOUT) != 0));
        }
        if (last instanceof Expression.XtNfqueue queue && queue.total() >= 1) {
            return Option.some(new Queueing(queue.first(), queue.total(),
                    (queue.flags() & Expression.XtNfqueue.BYPASS) != 0,
                    (queue.flags() & Expression.XtNfqueue.CPU_FANOUT) != 0));
        }
        return Option.none();
    }

    private static List<List<Expression>> shapes(List<Rule> rules) {
        return rules.stream().map(Rule::shape).toList();
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
        expressions.add(Expression.Payload.network(v4 ? 16 : 24, v4 ? 4 : 16));
        expressions.add(new Expression.Lookup(v4 ? IPV4_VIPS : IPV6_VIPS, v4 ? 1 : 2));
        expressions.add(Expression.Counter.ZERO);
        expressions.add(queue);
        return expressions;
    }

    /** {@code iifname "conduit-a-*" notrack}: a trailing {@code *} compares a prefix, otherwise the whole name. */
    private static List<Expression> exemption(String pattern) {
        return List.of(new Expression.Meta(Expression.Meta.IIFNAME), Expression.Cmp.interfacePattern(pattern),
                new Expression.Notrack());
    }

    /** @return {@code vip} as an element of the VIP set of its family */
    static SetElements elementsOf(Cidr vip) {
        return new SetElements(NFQLB, vip.family() == Family.IPV4 ? IPV4_VIPS : IPV6_VIPS, List.of(vip));
    }
}
