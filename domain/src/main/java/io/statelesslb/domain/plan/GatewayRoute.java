package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Family;
import io.vavr.collection.SortedSet;

/**
 * The default route of the gateway table in one family, over every usable gateway (ECMP when several):
 * {@code ip route replace default table 4096 nexthop via 169.254.100.150 dev ext-vlan0}.
 */
public record GatewayRoute(Family family, int table, SortedSet<Nexthop> nexthops) {
}
