package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.IpAddress;

/**
 * A neighbour table entry ({@code ip neigh}): the address, the interface it is on, whether it failed to answer
 * ({@code NUD_FAILED}), and its link-layer address when known.
 *
 * @param mac the link-layer address as {@code 02:fe:72:70:fd:55}, or null when not resolved
 */
public record Neighbour(IpAddress address, int interfaceIndex, boolean failed, String mac) {
}
