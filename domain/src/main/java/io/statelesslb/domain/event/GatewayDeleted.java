package io.statelesslb.domain.event;

import java.util.Objects;

/** A gateway was deleted. */
public record GatewayDeleted(String name) implements ConfigurationEvent {

    public GatewayDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.gatewayDeleted(this);
    }
}
