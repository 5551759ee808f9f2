package io.statelesslb.domain.event;

import java.util.Objects;

/** A target left its stream. */
public record TargetUnregistered(String stream, int identifier) implements TargetEvent {

    public TargetUnregistered {
        Objects.requireNonNull(stream, "stream is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.targetUnregistered(this);
    }
}
