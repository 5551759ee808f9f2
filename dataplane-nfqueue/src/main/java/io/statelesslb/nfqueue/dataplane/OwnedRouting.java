package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.OwnTag;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.nfqueue.route.FibRule;
import io.statelesslb.nfqueue.route.Route;
import io.statelesslb.nfqueue.route.Rtnetlink;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;
import java.util.List;
import java.util.Map;

/**
 * The policy routing stateless-lb owns, in the plan's terms: every rule and route tagged with {@link OwnTag#PROTOCOL}
 * read back as {@link PolicyRule}s and default routes, and the plan's rules and routes as the kernel's objects. Rules
 * and routes of anyone else are never read into the plan, so never touched.
 */
final class OwnedRouting {

    private OwnedRouting() {
    }

    /** @return the kernel's rule for {@code rule}, tagged as stateless-lb's */
    static FibRule fibRule(PolicyRule rule) {
        return new FibRule(rule.family(), rule.priority(), rule.fwmark(), rule.unmarked(), rule.source().getOrNull(),
                rule.ipProtocol(), rule.table(), rule.suppressPrefixLength(), OwnTag.PROTOCOL);
    }

    /** @return the kernel's default route of {@code table} through {@code hops}, tagged as stateless-lb's */
    static Route route(RoutingTable table, SortedSet<Nexthop> hops, Rtnetlink links) {
        return Route.defaultRoute(table.family(), table.number(), hops.toJavaList().stream()
                .map(hop -> new Route.Nexthop(hop.via(), links.interfaceIndex(hop.device()))).toList(),
                OwnTag.PROTOCOL);
    }

    /** @return stateless-lb's rules of both families, as the kernel holds them */
    static SortedSet<PolicyRule> rules(Rtnetlink reader) {
        SortedSet<PolicyRule> rules = TreeSet.empty();
        for (Family family : Family.values()) {
            for (FibRule rule : reader.rules(family)) {
                if (rule.protocol() == OwnTag.PROTOCOL) {
                    rules = rules.add(new PolicyRule(family, rule.priority(), rule.fwmark(), rule.unmarked(),
                            Option.of(rule.source()), rule.ipProtocol(), rule.table(), rule.suppressPrefixLength()));
                }
            }
        }
        return rules;
    }

    /**
     * @param names interface names by index
     * @return stateless-lb's default routes of both families, by table, with the next hops the kernel holds alive;
     *         and the routing daemon's (BIRD's) in the gateways' table, which the plan expects but never changes
     */
    /** The kernel's {@code proto bird}: routes BIRD's kernel protocol writes. */
    static final int RTPROT_BIRD = 12;

    static SortedMap<RoutingTable, SortedSet<Nexthop>> routes(Rtnetlink reader, Map<Integer, String> names) {
        SortedMap<RoutingTable, SortedSet<Nexthop>> routes = TreeMap.empty();
        for (Family family : Family.values()) {
            for (Route route : reader.routes(family)) {
                boolean learned = route.table() == RoutingTable.GATEWAYS && route.protocol() == RTPROT_BIRD;
                if ((route.protocol() == OwnTag.PROTOCOL || learned) && route.destination().prefixLength() == 0) {
                    List<Nexthop> hops = route.nexthops().stream().map(hop -> new Nexthop(hop.via(),
                            names.getOrDefault(hop.interfaceIndex(), "if" + hop.interfaceIndex()))).toList();
                    routes = routes.put(new RoutingTable(family, route.table()), TreeSet.ofAll(hops));
                }
            }
        }
        return routes;
    }
}
