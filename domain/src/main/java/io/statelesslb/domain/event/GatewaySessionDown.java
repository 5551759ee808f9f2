package io.statelesslb.domain.event;

import java.util.Objects;

/** The gateway daemon reported the session (BGP, or BFD for a static gateway) down. */
public record GatewaySessionDown(String gateway) implements ObservationEvent {

    public GatewaySessionDown {
        Objects.requireNonNull(gateway, "gateway is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.gatewaySessionDown(this);
    }
}
