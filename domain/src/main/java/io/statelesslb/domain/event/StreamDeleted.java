package io.statelesslb.domain.event;

import java.util.Objects;

/** A stream was deleted. */
public record StreamDeleted(String name) implements ConfigurationEvent {

    public StreamDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.streamDeleted(this);
    }
}
