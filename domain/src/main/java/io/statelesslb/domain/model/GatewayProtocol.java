package io.statelesslb.domain.model;

import io.vavr.control.Either;
import java.util.Locale;

/** How a gateway's default route is learned. */
public enum GatewayProtocol {
    /** Learned over a BGP session; usable only while the session is up. */
    BGP,
    /** Configured; usable unless a session-down observation (BFD) says otherwise. */
    STATIC;

    /**
     * @param text to parse: {@code bgp} or {@code static}, in any case
     * @return the protocol, or the reason the name is unknown
     */
    public static Either<String, GatewayProtocol> parse(String text) {
        for (GatewayProtocol protocol : values()) {
            if (protocol.name().equalsIgnoreCase(text)) {
                return Either.right(protocol);
            }
        }
        return Either.left("protocol=" + text + " (expected: bgp or static)");
    }

    /** @return the lower-case name configurations use */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
