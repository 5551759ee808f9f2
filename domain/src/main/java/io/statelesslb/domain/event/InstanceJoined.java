package io.statelesslb.domain.event;

import io.statelesslb.domain.net.IpAddress;
import java.util.Objects;

/**
 * An instance joined the LB tier (or moved to another address or interface). Its slot is allocated by the fold, as
 * targets' rule priorities are: the one it holds, else the lowest free.
 */
public record InstanceJoined(String name, IpAddress address, String interfaceName)
        implements TierEvent {

    public InstanceJoined {
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(address, "address is required");
        Objects.requireNonNull(interfaceName, "interfaceName is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.instanceJoined(this);
    }
}
