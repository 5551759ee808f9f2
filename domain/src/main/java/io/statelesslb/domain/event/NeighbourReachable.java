package io.statelesslb.domain.event;

import io.statelesslb.domain.net.IpAddress;
import java.util.Locale;
import java.util.Objects;

/** The kernel reported a neighbour entry reachable, with its link-layer address (lower-case hex octets). */
public record NeighbourReachable(IpAddress address, String interfaceName, String mac) implements ObservationEvent {

    public NeighbourReachable {
        Objects.requireNonNull(address, "address is required");
        Objects.requireNonNull(interfaceName, "interfaceName is required");
        Objects.requireNonNull(mac, "mac is required");
        // Logs written before events held parsed values kept the kernel's or the caller's spelling.
        mac = mac.toLowerCase(Locale.ROOT);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.neighbourReachable(this);
    }
}
