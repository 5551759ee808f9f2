package io.statelesslb.domain.event;

import java.util.Objects;

/** A registered target was taken out of service but stays registered. */
public record TargetDisabled(String stream, int identifier) implements TargetEvent {

    public TargetDisabled {
        Objects.requireNonNull(stream, "stream is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.targetDisabled(this);
    }
}
