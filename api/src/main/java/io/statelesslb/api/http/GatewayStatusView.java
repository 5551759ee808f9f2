package io.statelesslb.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A gateway as the API shows it: its session as the routing daemon reports it ({@code birdc show protocols all} in
 * one row), or why it has none.
 *
 * @param name          the gateway's name
 * @param protocol      {@code bgp} or {@code static}
 * @param address       the gateway's address
 * @param interfaceName the interface it is reached over
 * @param up            whether replies can leave through it (and, for BGP, whether the VIPs are announced to it)
 * @param state         the session's state in the daemon's words ({@code Established}, {@code Active}, ...), or
 *                      {@code unused} for a gateway no attractor names
 * @param since         when the state last changed (ISO-8601), if known
 * @param uptimeSeconds how long the session has been up, when it is
 * @param bfd           the BFD session's state, without BFD none
 * @param routesLearned the routes learned over it (the default route, when up)
 * @param announced     the prefixes announced over it
 * @param info          the daemon's last word, such as a session's last error
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayStatusView(String name, String protocol, String address, String interfaceName, boolean up,
                                String state, String since, Long uptimeSeconds, String bfd, int routesLearned,
                                List<String> announced, String info) {
}
