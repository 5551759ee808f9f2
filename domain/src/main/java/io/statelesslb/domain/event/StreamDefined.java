package io.statelesslb.domain.event;

import java.util.Objects;

/** A stream was defined or changed. */
public record StreamDefined(String name, String conduit, int maxTargets) implements ConfigurationEvent {

    public StreamDefined {
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(conduit, "conduit is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.streamDefined(this);
    }
}
