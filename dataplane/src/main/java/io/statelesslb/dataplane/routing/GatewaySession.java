package io.statelesslb.dataplane.routing;

import io.statelesslb.domain.net.Cidr;
import io.vavr.collection.SortedSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One gateway's session as the routing daemon reports it: what {@code birdc show protocols all} and
 * {@code show bfd sessions} say about it.
 *
 * @param gateway       the gateway's name
 * @param up            whether the gateway may carry traffic: BGP established (and BFD up when asked for), or a static
 *                      gateway whose BFD session is up (or that has none)
 * @param state         the session's state in the daemon's words: BGP's ({@code Established}, {@code Active},
 *                      {@code Connect}, ...) or a static route's ({@code configured})
 * @param since         when the state last changed, if the daemon says
 * @param bfd           the BFD session's state ({@code Up}, {@code Down}, {@code Init}, {@code AdminDown}), or empty
 *                      without BFD
 * @param routesLearned how many routes the session imported (the gateway's default route, when up)
 * @param announced     the prefixes exported over the session
 * @param info          the daemon's last word on the session, such as its last error, or empty
 */
public record GatewaySession(String gateway, boolean up, String state, Optional<Instant> since, Optional<String> bfd,
                             int routesLearned, SortedSet<Cidr> announced, String info) {

    public GatewaySession {
        Objects.requireNonNull(gateway, "gateway is required");
        Objects.requireNonNull(state, "state is required");
        Objects.requireNonNull(since, "since is required");
        Objects.requireNonNull(bfd, "bfd is required");
        Objects.requireNonNull(announced, "announced is required");
        Objects.requireNonNull(info, "info is required");
    }
}
