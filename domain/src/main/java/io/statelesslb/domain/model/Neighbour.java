package io.statelesslb.domain.model;

import io.statelesslb.domain.net.IpAddress;

/** An ARP or NDP entry as last observed; {@code mac} is empty when unknown (failed entries). */
public record Neighbour(IpAddress address, String interfaceName, NeighbourState state, String mac) {
}
