package io.statelesslb.domain.model;

import io.statelesslb.domain.net.IpAddress;

/**
 * A next hop outside the trench that carries replies from the VIPs (table 4096), and to which the VIPs are announced.
 */
public record Gateway(
        String name,
        IpAddress address,
        String interfaceName,
        GatewayProtocol protocol,
        boolean bfd,
        long remoteAsn,
        long localAsn,
        GatewayOptions options) {

    /** Largest 4-byte AS number. */
    public static final long MAX_ASN = 0xFFFF_FFFFL;
}
