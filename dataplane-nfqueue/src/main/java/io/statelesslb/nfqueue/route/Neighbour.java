package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.IpAddress;
import java.time.Duration;

/**
 * A neighbour table entry ({@code ip -s neigh}): the address, the interface it is on, whether it failed to answer
 * ({@code NUD_FAILED}) or is written to stay ({@code NUD_PERMANENT}), its link-layer address when known, and how
 * long ago it last answered.
 *
 * @param mac       the link-layer address as {@code 02:fe:72:70:fd:55}, or null when not resolved
 * @param heardAgo  how long ago the kernel last confirmed the neighbour reachable ({@code ndm_confirmed}), or null
 *                  when the kernel did not say
 */
public record Neighbour(IpAddress address, int interfaceIndex, boolean failed, boolean permanent, String mac,
                        Duration heardAgo) {
}
