package io.statelesslb.domain.model;

import io.statelesslb.domain.net.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * A conduit's stateless destination port translation (Meridio's {@code destinationPortNats}): packets to one of
 * {@code vips} over {@code protocol} to {@code port} reach the conduit's targets on {@code targetPort}, and the
 * targets' replies from {@code targetPort} leave with {@code port} again. No connection tracking is involved: both
 * directions are rewritten by nf_tables rules, packet by packet.
 *
 * @param vips the names of the VIPs translated
 */
public record PortNat(Protocol protocol, int port, int targetPort, List<String> vips) {

    public PortNat {
        Objects.requireNonNull(protocol, "protocol is required");
        vips = vips == null ? List.of() : List.copyOf(vips);
    }

    /** @return the translation as an operator writes it: {@code tcp 80 -> 8080 for vip-a, vip-b} */
    public String describe() {
        return protocol.label() + " " + port + " -> " + targetPort + " for " + String.join(", ", vips);
    }
}
