package io.statelesslb.domain.event;

import java.util.Objects;

/**
 * The routing daemon (BIRD) stopped without being asked and was started again; {@code reason} says how it ended.
 * Logged for the audit trail: the sessions come back as their own events.
 */
public record RoutingDaemonRestarted(String reason) implements ObservationEvent {

    public RoutingDaemonRestarted {
        Objects.requireNonNull(reason, "reason is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.routingDaemonRestarted(this);
    }
}
