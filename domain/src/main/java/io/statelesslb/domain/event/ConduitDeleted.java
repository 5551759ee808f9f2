package io.statelesslb.domain.event;

import java.util.Objects;

/** A conduit was deleted. */
public record ConduitDeleted(String name) implements ConfigurationEvent {

    public ConduitDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.conduitDeleted(this);
    }
}
