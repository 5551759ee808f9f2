package io.statelesslb.domain.plan;

import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.model.Instance;
import io.statelesslb.domain.model.LoadBalancerSettings;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.PortNat;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.model.Vip;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.state.State;
import io.vavr.Tuple2;
import io.vavr.collection.Iterator;
import io.vavr.collection.List;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import io.vavr.control.Option;

/**
 * {@code plan(State) -> DataplaneSpec}: the whole desired dataplane for a state.
 *
 * <p>{@link #plan(State)} is the pure function. A long-lived planner ({@link #next(State)}) gives the same result
 * faster: it remembers the last state and spec, reuses every part whose inputs are the very same persistent
 * collections, and for a stream whose only change is its targets re-plans just the targets that changed. This is
 * what keeps one target event on a 100-target stream O(1) instead of O(targets). Not thread-safe: one planner per
 * pipeline lane.
 *
 * <p>A planner plans for one instance of the trench: the LB tier's part of the plan (which fragments this instance
 * keeps, and the routes to the others) depends on which of the tier's instances it is.
 */
public final class Planner {

    private final Option<String> instance;
    private State lastState = State.empty();
    private DataplaneSpec lastSpec = DataplaneSpec.empty();

    /** A planner for an instance outside any LB tier. */
    public Planner() {
        this(Option.none());
    }

    /** @param instance the instance planned for, whose place in the LB tier (if it joined) the plan takes */
    public Planner(Option<String> instance) {
        this.instance = instance;
    }

    /**
     * @param state to plan
     * @return the desired dataplane of {@code state}
     */
    public static DataplaneSpec plan(State state) {
        return new Planner().next(state);
    }

    /**
     * @param state    to plan
     * @param instance the instance planned for
     * @return the desired dataplane of {@code state} on {@code instance}
     */
    public static DataplaneSpec plan(State state, String instance) {
        return new Planner(Option.of(instance)).next(state);
    }

    /**
     * Why a target is not active in the plan of {@code state}: disabled, an IP that no up interface of its
     * conduit has a subnet for, or a neighbour entry that failed.
     *
     * @return the reason, or none when the target is active
     */
    public static Option<String> pendingReason(State state, Target target) {
        Option<Stream> stream = state.streams().get(target.stream());
        if (stream.isEmpty()) {
            return Option.some("stream " + target.stream() + " is not defined");
        }
        return new Reach(state, stream.get()).paths(target, 0).swap().toOption();
    }

    /**
     * @param state to plan, usually the successor of the last state planned
     * @return the desired dataplane of {@code state}, equal to {@code plan(state)}
     */
    public DataplaneSpec next(State state) {
        State prev = lastState;
        DataplaneSpec prevSpec = lastSpec;
        Paths paths = new Paths(prevSpec.rules(), prevSpec.routes());
        SortedMap<String, StreamPlan> streams = planStreams(prev, prevSpec, state, paths);
        boolean vipsSame = prev.vips() == state.vips();
        if (!vipsSame) {
            paths.replyRules(replyRules(prev), replyRules(state));
        }
        SortedSet<Cidr> vipElements = vipsSame ? prevSpec.vipElements()
                : TreeSet.ofAll(state.vips().values().map(Vip::address));
        SortedMap<String, FlowSpec> flows = vipsSame && prev.flows() == state.flows() ? prevSpec.flows()
                : state.flows().mapValues(flow -> flowSpec(flow, state));
        boolean gatewaysSame = prev.gateways() == state.gateways() && prev.attractors() == state.attractors()
                && prev.gatewaySessions() == state.gatewaySessions() && prev.interfaces() == state.interfaces();
        if (!gatewaysSame) {
            paths.gatewayRoutes(gatewayRoutes(state));
        }
        SortedMap<String, GatewaySpec> gateways = gatewaySessions(state, streams);
        if (gateways.equals(prevSpec.gateways())) {
            gateways = prevSpec.gateways();
        }
        boolean tierSame = prev.instances() == state.instances() && prev.interfaces() == state.interfaces();
        boolean conduitsSame = prev.conduits() == state.conduits();
        Option<Tier> tier = tierSame && conduitsSame ? Option.none() : tier(state);
        if (!tierSame) {
            paths.tierRoutes(tier.map(Tier::paths).getOrElse(List.empty()));
        }
        Option<TierPlan> tierPlan = tierSame ? prevSpec.engine().tier() : tier.map(Tier::plan);
        // Fragments that come in by the tier's interface must reach the queue as they are: the kernel must not
        // reassemble them, as each may have come to another instance.
        SortedSet<String> defragExemptions = conduitsSame && tierSame ? prevSpec.defragExemptions()
                : TreeSet.ofAll(state.conduits().values().map(conduit -> conduit.interfacePrefix() + "*"))
                .addAll(tier.map(Tier::interfaceName));
        SortedSet<PortNatSpec> portNats = conduitsSame && vipsSame ? prevSpec.portNats() : portNats(state);
        LoadBalancerSettings settings = state.trench().map(Trench::loadBalancer)
                .getOrElse(LoadBalancerSettings.DEFAULTS);
        boolean settingsSame = prev.trench() == state.trench();
        // Without a trench there is nothing to load-balance: no tables.
        Option<Queueing> queueing = settingsSame ? prevSpec.queueing() : state.trench().map(trench ->
                new Queueing(settings.firstQueue(), settings.queues(), settings.queueBypass(),
                        settings.queueFanout()));
        EngineOptions engine = settingsSame && tierSame ? prevSpec.engine()
                : EngineOptions.of(settings).withTier(tierPlan);
        DataplaneSpec spec = new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows,
                streams, paths.rules, paths.routes, gateways);
        lastState = state;
        lastSpec = spec;
        return spec;
    }

    /** @return each conduit's port translations, one per VIP translated (the VIP's address as its family's rule) */
    private static SortedSet<PortNatSpec> portNats(State state) {
        SortedSet<PortNatSpec> portNats = TreeSet.empty();
        for (Conduit conduit : state.conduits().values()) {
            for (PortNat nat : conduit.destinationPortNats()) {
                for (String vip : nat.vips()) {
                    for (Vip defined : state.vips().get(vip)) {
                        portNats = portNats.add(new PortNatSpec(conduit.interfacePrefix() + "*", defined.address(),
                                nat.protocol(), nat.port(), nat.targetPort()));
                    }
                }
            }
        }
        return portNats;
    }

    private static SortedMap<String, StreamPlan> planStreams(State prev, DataplaneSpec prevSpec, State state,
                                                             Paths paths) {
        boolean sameSurroundings = prev.conduits() == state.conduits() && prev.interfaces() == state.interfaces()
                && prev.neighbours() == state.neighbours();
        if (sameSurroundings && prev.streams() == state.streams() && prev.fwmarkOffsets() == state.fwmarkOffsets()
                && prev.targets() == state.targets()) {
            return prevSpec.streams();
        }
        SortedMap<String, StreamPlan> plans = prevSpec.streams();
        for (String gone : plans.keySet().filter(name -> !state.streams().containsKey(name))) {
            plans = plans.remove(gone);
            paths.removeFwmarks(prev, gone);
        }
        for (Stream stream : state.streams().values()) {
            int offset = state.fwmarkOffsets().get(stream.name()).get();
            Option<StreamPlan> old = prevSpec.streams().get(stream.name());
            SortedMap<Integer, Target> targets = state.targetsOf(stream.name());
            StreamPlan plan;
            if (old.isDefined() && sameSurroundings && prev.streams().get(stream.name()).contains(stream)
                    && prev.fwmarkOffsets().get(stream.name()).contains(offset)) {
                SortedMap<Integer, Target> oldTargets = prev.targetsOf(stream.name());
                plan = oldTargets == targets ? old.get()
                        : patch(old.get(), oldTargets, targets, new Reach(state, stream), offset, paths);
            } else {
                if (old.isDefined()) {
                    paths.removeFwmarks(prev, stream.name());
                }
                plan = patch(StreamPlan.empty(stream.name(), maglev(stream)), TreeMap.empty(), targets,
                        new Reach(state, stream), offset, paths);
            }
            // Identity, not equality: comparing two 100-target plans would cost what the patch saved.
            if (old.getOrNull() != plan) {
                plans = plans.put(stream.name(), plan);
            }
        }
        return plans;
    }

    private static MaglevSpec maglev(Stream stream) {
        return new MaglevSpec(stream.requestedM(), stream.maxTargets());
    }

    /** Re-plans the targets of {@code before} that differ (by identity) from those of {@code after}. */
    private static StreamPlan patch(StreamPlan plan, SortedMap<Integer, Target> before,
                                    SortedMap<Integer, Target> after, Reach reach, int offset, Paths paths) {
        SortedMap<Integer, Integer> slots = plan.slots();
        Iterator<Tuple2<Integer, Target>> olds = before.iterator();
        Iterator<Tuple2<Integer, Target>> news = after.iterator();
        Target old = next(olds);
        Target now = next(news);
        while (old != null || now != null) {
            int order = old == null ? 1 : now == null ? -1 : Integer.compare(old.identifier(), now.identifier());
            if (order == 0 && old == now) {
                old = next(olds);
                now = next(news);
                continue;
            }
            if (order <= 0) {
                Either<String, List<Path>> retired = reach.paths(old, offset);
                if (retired.isRight()) {
                    slots = slots.remove(old.identifier() - 1);
                    retired.get().forEach(paths::remove);
                }
                old = next(olds);
            }
            if (order >= 0) {
                Either<String, List<Path>> added = reach.paths(now, offset);
                if (added.isRight()) {
                    slots = slots.put(now.identifier() - 1, now.identifier() + offset);
                    added.get().forEach(paths::add);
                }
                now = next(news);
            }
        }
        return plan.withSlots(slots);
    }

    private static Target next(Iterator<Tuple2<Integer, Target>> targets) {
        return targets.hasNext() ? targets.next()._2 : null;
    }

    private static FlowSpec flowSpec(Flow flow, State state) {
        SortedSet<Cidr> destinations = flow.vips().flatMap(name -> state.vips().get(name).map(Vip::address));
        return new FlowSpec(flow.name(), flow.stream(), flow.priority(), flow.protocols(), flow.sourceSubnets(),
                flow.sourcePorts(), flow.destinationPorts(), destinations, flow.byteMatches());
    }

    /**
     * @return the rules that send replies from each VIP to the gateways, and, in each family that has a VIP, those
     *         that send the load balancer's own ICMP errors the same way (a client is behind the gateways)
     */
    private static List<PolicyRule> replyRules(State state) {
        List<PolicyRule> rules = state.vips().values().map(vip -> PolicyRule.fromVip(vip.address())).toList();
        for (Family family : state.vips().values().map(vip -> vip.address().family()).distinct()) {
            rules = rules.appendAll(PolicyRule.ownIcmp(family));
        }
        return rules;
    }

    /** @return the gateways' table's default route in each family that has a usable gateway */
    private static SortedMap<RoutingTable, SortedSet<Nexthop>> gatewayRoutes(State state) {
        SortedSet<String> attached = state.attractors().values().flatMap(a -> a.gateways()).toSortedSet();
        SortedMap<RoutingTable, SortedSet<Nexthop>> routes = TreeMap.empty();
        for (Family family : Family.values()) {
            SortedSet<Nexthop> nexthops = TreeSet.ofAll(attached.toList()
                    .flatMap(name -> state.gateways().get(name))
                    .filter(gateway -> gateway.address().family() == family && state.gatewayUsable(gateway)
                            && !interfaceDown(state, gateway))
                    .map(gateway -> new Nexthop(gateway.address(), gateway.interfaceName())));
            if (!nexthops.isEmpty()) {
                routes = routes.put(new RoutingTable(family, RoutingTable.GATEWAYS), nexthops);
            }
        }
        return routes;
    }

    /** An interface the kernel never reported is assumed usable: external interfaces need not be observed. */
    private static boolean interfaceDown(State state, Gateway gateway) {
        return state.interfaces().get(gateway.interfaceName()).exists(link -> !link.up());
    }

    /**
     * @return a session for each gateway an attractor uses; a BGP one announces the attractor's VIPs of its family
     *         that the trench can forward: a flow that takes the VIP belongs to a stream with an active target
     */
    private static SortedMap<String, GatewaySpec> gatewaySessions(State state,
                                                                  SortedMap<String, StreamPlan> streams) {
        SortedSet<String> forwardable = state.flows().values()
                .filter(flow -> streams.get(flow.stream()).exists(plan -> !plan.slots().isEmpty()))
                .flatMap(Flow::vips)
                .toSortedSet();
        SortedMap<String, GatewaySpec> sessions = TreeMap.empty();
        for (Attractor attractor : state.attractors().values()) {
            SortedSet<String> announced = attractor.vips().filter(forwardable::contains);
            for (Gateway gateway : attractor.gateways().toList().flatMap(name -> state.gateways().get(name))) {
                // A static gateway has no session to announce over: its operator routes the VIPs to us.
                SortedSet<Cidr> vips = announced.toList().flatMap(name -> state.vips().get(name))
                        .map(Vip::address)
                        .filter(vip -> gateway.protocol() == GatewayProtocol.BGP
                                && vip.family() == gateway.address().family())
                        .toSortedSet();
                GatewaySpec before = sessions.get(gateway.name()).getOrNull();
                sessions = sessions.put(gateway.name(), new GatewaySpec(gateway,
                        before == null ? vips : before.announced().addAll(vips)));
            }
        }
        return sessions;
    }

    /**
     * @return this instance's part of the LB tier: none when it has not joined, is alone in its address family, or
     *         its tier interface is down (then it decides every fragment itself, as the others could not reach it)
     */
    private Option<Tier> tier(State state) {
        Option<Instance> own = instance.flatMap(name -> state.instances().get(name));
        if (own.isEmpty() || state.interfaces().get(own.get().interfaceName()).exists(link -> !link.up())) {
            return Option.none();
        }
        Family family = own.get().address().family();
        SortedMap<Integer, Integer> slots = TreeMap.empty();
        List<Path> paths = List.empty();
        for (Instance member : state.instances().values()) {
            if (member.address().family() != family) {
                continue;
            }
            slots = slots.put(member.identifier() - 1, member.fwmark());
            if (!member.name().equals(own.get().name())) {
                paths = paths.append(new Path(PolicyRule.toTarget(family, member.fwmark(), member.fwmark()),
                        new RoutingTable(family, member.fwmark()),
                        new Nexthop(member.address(), own.get().interfaceName())));
            }
        }
        if (paths.isEmpty()) {
            return Option.none();
        }
        TierPlan plan = new TierPlan(new MaglevSpec(Instance.TIER_M, Instance.MAX_INSTANCES), slots,
                own.get().fwmark(), family);
        return Option.some(new Tier(plan, paths, own.get().interfaceName()));
    }

    /** This instance's part of the LB tier: the engine's, the paths to the other instances, its own interface. */
    private record Tier(TierPlan plan, List<Path> paths, String interfaceName) {
    }

    /** How packets marked for a target reach it in one family: the fwmark rule, and its table's default route. */
    private record Path(PolicyRule rule, RoutingTable table, Nexthop hop) {
    }

    /** The policy rules and routes being planned, edited in place one target or one kind at a time. */
    private static final class Paths {

        SortedSet<PolicyRule> rules;
        SortedMap<RoutingTable, SortedSet<Nexthop>> routes;

        Paths(SortedSet<PolicyRule> rules, SortedMap<RoutingTable, SortedSet<Nexthop>> routes) {
            this.rules = rules;
            this.routes = routes;
        }

        void add(Path path) {
            rules = rules.add(path.rule());
            routes = routes.put(path.table(), TreeSet.of(path.hop()));
        }

        void remove(Path path) {
            rules = rules.remove(path.rule());
            routes = routes.remove(path.table());
        }

        /** Removes every target rule and route of the fwmarks {@code stream} had in {@code prev}. */
        void removeFwmarks(State prev, String stream) {
            int offset = prev.fwmarkOffsets().get(stream).get();
            int last = offset + prev.streams().get(stream).get().maxTargets();
            rules = rules.filter(rule -> !rule.byFwmark() || rule.fwmark() <= offset || rule.fwmark() > last);
            routes = routes.filterKeys(table -> table.number() <= offset || table.number() > last);
        }

        void replyRules(Iterable<PolicyRule> before, Iterable<PolicyRule> after) {
            for (PolicyRule rule : before) {
                rules = rules.remove(rule);
            }
            for (PolicyRule rule : after) {
                rules = rules.add(rule);
            }
        }

        /** Replaces the paths to the LB tier's other instances (their fwmarks are a range of their own). */
        void tierRoutes(List<Path> tier) {
            int first = Instance.FWMARK_OFFSET + 1;
            int last = Instance.FWMARK_OFFSET + Instance.MAX_INSTANCES;
            rules = rules.filter(rule -> !rule.byFwmark() || rule.fwmark() < first || rule.fwmark() > last);
            routes = routes.filterKeys(table -> table.number() < first || table.number() > last);
            tier.forEach(this::add);
        }

        void gatewayRoutes(SortedMap<RoutingTable, SortedSet<Nexthop>> gateways) {
            routes = routes.filterKeys(table -> table.number() != RoutingTable.GATEWAYS).merge(gateways);
        }
    }

    /** Where a stream's targets can be reached: the up interfaces of its conduit, and the neighbour table. */
    private static final class Reach {

        private final Option<Conduit> conduit;
        private final List<NetworkInterface> conduitInterfaces;
        private final State state;

        Reach(State state, Stream stream) {
            // A stream without its conduit (which no decided history leaves) reaches nothing.
            this.conduit = state.conduits().get(stream.conduit());
            this.state = state;
            this.conduitInterfaces = state.interfaces().values()
                    .filter(link -> conduit.exists(held -> held.owns(link.name())))
                    .toList();
        }

        /**
         * @return the target's paths, one per IP, when it is active: enabled, every IP on the subnet of an up
         *         conduit interface (the first by name), and no IP with a failed neighbour entry; else why not
         */
        Either<String, List<Path>> paths(Target target, int offset) {
            if (!target.enabled()) {
                return Either.left("disabled");
            }
            int fwmark = target.identifier() + offset;
            List<Path> paths = List.empty();
            for (IpAddress ip : target.ips()) {
                Option<NetworkInterface> device = conduitInterfaces
                        .find(link -> link.up() && link.subnetOf(ip).isDefined());
                if (device.isEmpty()) {
                    return Either.left(unreachable(ip));
                }
                Option<Neighbour> failed = state.neighbours().get(ip)
                        .filter(n -> n.state() == NeighbourState.FAILED);
                if (failed.isDefined()) {
                    return Either.left("neighbour " + ip + " on " + failed.get().interfaceName()
                            + " does not answer (FAILED)");
                }
                paths = paths.append(new Path(PolicyRule.toTarget(ip.family(), target.rulePriority(), fwmark),
                        new RoutingTable(ip.family(), fwmark), new Nexthop(ip, device.get().name())));
            }
            return Either.right(paths);
        }

        private String unreachable(IpAddress ip) {
            String name = conduit.map(Conduit::name).getOrElse("?");
            Option<NetworkInterface> down = conduitInterfaces.find(link -> !link.up()
                    && link.subnetOf(ip).isDefined());
            return down.isDefined() ? "interface " + down.get().name() + " of conduit " + name + " is down"
                    : "no interface of conduit " + name + " that is up has a subnet holding " + ip;
        }
    }
}
