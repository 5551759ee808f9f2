package io.statelesslb.domain.event;

import io.statelesslb.domain.net.IpAddress;
import java.util.Objects;

/** The kernel reported a neighbour entry failed: the address does not answer ARP/NDP. */
public record NeighbourFailed(IpAddress address, String interfaceName) implements ObservationEvent {

    public NeighbourFailed {
        Objects.requireNonNull(address, "address is required");
        Objects.requireNonNull(interfaceName, "interfaceName is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.neighbourFailed(this);
    }
}
