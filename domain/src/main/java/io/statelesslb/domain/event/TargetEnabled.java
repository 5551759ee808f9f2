package io.statelesslb.domain.event;

import java.util.Objects;

/** A registered target was put back into service. */
public record TargetEnabled(String stream, int identifier) implements TargetEvent {

    public TargetEnabled {
        Objects.requireNonNull(stream, "stream is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.targetEnabled(this);
    }
}
