package io.statelesslb.domain.model;

import java.util.Objects;

/**
 * How a gateway's session runs: the BGP ports and hold time, the BFD timers, and the file that holds the BGP password
 * (its path only: the password itself is read when the routing daemon is configured, and never held here).
 *
 * @param localPort      the TCP port the load balancer's BGP speaker listens on and connects from
 * @param remotePort     the gateway's BGP port
 * @param holdTime       the BGP hold time in seconds: 0 (no keepalives) or 3 and more
 * @param bfdMinTxMillis the shortest interval between BFD packets sent, in milliseconds
 * @param bfdMinRxMillis the shortest interval between BFD packets received, in milliseconds
 * @param bfdMultiplier  how many BFD packets may go missing before the session is down
 * @param passwordFile   an absolute path to a file holding the BGP (TCP MD5) password, or empty for none
 */
public record GatewayOptions(int localPort, int remotePort, int holdTime, int bfdMinTxMillis, int bfdMinRxMillis,
                             int bfdMultiplier, String passwordFile) {

    /** BGP's well-known port, a 90 s hold time (RFC 4271's suggestion), BFD every 300 ms with 3 missed to fail. */
    public static final GatewayOptions DEFAULTS = new GatewayOptions(179, 179, 90, 300, 300, 3, "");

    public GatewayOptions {
        Objects.requireNonNull(passwordFile, "passwordFile is required (empty for none)");
    }

    /** @return whether the session is authenticated with a password */
    public boolean hasPassword() {
        return !passwordFile.isEmpty();
    }

    /** @return how long BFD takes at most to declare the gateway down, in milliseconds */
    public long bfdDetectionMillis() {
        return (long) Math.max(bfdMinRxMillis, bfdMinTxMillis) * bfdMultiplier;
    }
}
