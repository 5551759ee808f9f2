package io.statelesslb.domain.model;

/** How a gateway's default route is learned. */
public enum GatewayProtocol {
    /** Learned over a BGP session; usable only while the session is up. */
    BGP,
    /** Configured; usable unless a session-down observation (BFD) says otherwise. */
    STATIC
}
