package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Cidr;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;

/**
 * A whole dataplane, in the kernel's terms: the load balancer's nf_tables tables with their queueing, the VIP set
 * elements, the defragmentation exemptions and the port translations in them; the flows and each stream's Maglev
 * table (the load balancer); the policy rules and each owned table's default route (policy routing); and the
 * routing daemon's gateway sessions with the VIPs announced over them. The planner computes the desired one from the
 * state; a backend reads back the one it holds; the diff of the two is what the backend applies.
 *
 * @param queueing         the tables {@code meridio-nfqlb}, {@code meridio-nat} and {@code meridio-defrag} with their
 *                         fixed chains and rules, queueing so; none when they are not there (or not whole)
 * @param engine           how the load-balancing process reads its queues and decides
 * @param defragExemptions interface patterns ({@code conduit-a-*}) exempt from defragmentation (notrack): the
 *                         conduits' interfaces
 * @param portNats         the conduits' stateless destination port translations, in {@code meridio-nat}
 * @param vipElements      elements of the nft sets {@code ipv4-vips} and {@code ipv6-vips}
 * @param rules            the load balancer's {@code ip rule}s: targets' fwmark rules and VIPs' reply rules
 * @param routes           the default route of each table the load balancer owns: its next hops (one for a
 *                         target); and the gateways' table's default route, one next hop per gateway whose session
 *                         is up, which the routing daemon learns and writes (the load balancer never does)
 * @param gateways         the routing daemon's sessions, one per gateway of an attractor, each with the VIPs
 *                         announced to it (only while the trench can forward them)
 */
public record DataplaneSpec(
        Option<Queueing> queueing,
        EngineOptions engine,
        SortedSet<String> defragExemptions,
        SortedSet<PortNatSpec> portNats,
        SortedSet<Cidr> vipElements,
        SortedMap<String, FlowSpec> flows,
        SortedMap<String, StreamPlan> streams,
        SortedSet<PolicyRule> rules,
        SortedMap<RoutingTable, SortedSet<Nexthop>> routes,
        SortedMap<String, GatewaySpec> gateways) {

    private static final DataplaneSpec EMPTY = new DataplaneSpec(Option.none(), EngineOptions.DEFAULTS,
            TreeSet.empty(), TreeSet.empty(), TreeSet.empty(), TreeMap.empty(), TreeMap.empty(), TreeSet.empty(),
            TreeMap.empty(), TreeMap.empty());

    /** @return every VIP announced to at least one gateway */
    public SortedSet<Cidr> announcements() {
        return gateways.values().flatMap(GatewaySpec::announced).toSortedSet();
    }

    /** @return the dataplane with nothing in it (a fresh machine) */
    public static DataplaneSpec empty() {
        return EMPTY;
    }

    /**
     * @return whether packets marked {@code fwmark} have somewhere to go: at least one rule steers them, and every
     *         rule that does leads to a table with a route
     */
    public boolean hasPath(int fwmark) {
        SortedSet<PolicyRule> steering = rules.filter(rule -> rule.fwmark() == fwmark);
        return !steering.isEmpty()
                && steering.forAll(rule -> routes.containsKey(new RoutingTable(rule.family(), rule.table())));
    }

    /** @return this spec with the tables queueing otherwise, or not there */
    public DataplaneSpec withQueueing(Option<Queueing> queueing) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other engine options */
    public DataplaneSpec withEngine(EngineOptions engine) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other defragmentation exemptions */
    public DataplaneSpec withDefragExemptions(SortedSet<String> defragExemptions) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other port translations */
    public DataplaneSpec withPortNats(SortedSet<PortNatSpec> portNats) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other VIP set elements */
    public DataplaneSpec withVipElements(SortedSet<Cidr> vipElements) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other flows */
    public DataplaneSpec withFlows(SortedMap<String, FlowSpec> flows) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other stream plans */
    public DataplaneSpec withStreams(SortedMap<String, StreamPlan> streams) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other policy rules */
    public DataplaneSpec withRules(SortedSet<PolicyRule> rules) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other routes */
    public DataplaneSpec withRoutes(SortedMap<RoutingTable, SortedSet<Nexthop>> routes) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }

    /** @return this spec with other gateways' sessions */
    public DataplaneSpec withGateways(SortedMap<String, GatewaySpec> gateways) {
        return new DataplaneSpec(queueing, engine, defragExemptions, portNats, vipElements, flows, streams, rules,
                routes, gateways);
    }
}
