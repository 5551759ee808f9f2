package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;

/**
 * The whole desired dataplane, in the seed's terms: the VIP set elements, the flows, each stream's Maglev table
 * and target paths, the egress rules, the gateway routes, and the VIPs to announce. The plan computes it from
 * the state; the diff of two of them is what a backend applies.
 *
 * @param defragExemptions interface patterns ({@code conduit-a-*}) exempt from defragmentation (notrack): the
 *                      conduits' interfaces
 * @param vipElements   elements of the nft sets {@code ipv4-vips} and {@code ipv6-vips}
 * @param announcements VIPs announced to the gateways (only while at least one target is active)
 */
public record DataplaneSpec(
        SortedSet<String> defragExemptions,
        SortedSet<Cidr> vipElements,
        SortedMap<String, FlowSpec> flows,
        SortedMap<String, StreamPlan> streams,
        SortedSet<EgressRule> egressRules,
        SortedMap<Family, GatewayRoute> gatewayRoutes,
        SortedSet<Cidr> announcements) {

    private static final DataplaneSpec EMPTY = new DataplaneSpec(TreeSet.empty(), TreeSet.empty(), TreeMap.empty(),
            TreeMap.empty(), TreeSet.empty(), TreeMap.empty(), TreeSet.empty());

    /** @return the dataplane with nothing in it (a fresh machine) */
    public static DataplaneSpec empty() {
        return EMPTY;
    }

    /** @return this spec with other defragmentation exemptions */
    public DataplaneSpec withDefragExemptions(SortedSet<String> defragExemptions) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

    /** @return this spec with other VIP set elements */
    public DataplaneSpec withVipElements(SortedSet<Cidr> vipElements) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

    /** @return this spec with other flows */
    public DataplaneSpec withFlows(SortedMap<String, FlowSpec> flows) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

    /** @return this spec with other stream plans */
    public DataplaneSpec withStreams(SortedMap<String, StreamPlan> streams) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

    /** @return this spec with other egress rules */
    public DataplaneSpec withEgressRules(SortedSet<EgressRule> egressRules) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

    /** @return this spec with other gateway routes */
    public DataplaneSpec withGatewayRoutes(SortedMap<Family, GatewayRoute> gatewayRoutes) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

    /** @return this spec with other announcements */
    public DataplaneSpec withAnnouncements(SortedSet<Cidr> announcements) {
        return new DataplaneSpec(defragExemptions, vipElements, flows, streams, egressRules, gatewayRoutes,
                announcements);
    }

}
