package io.statelesslb.domain.event;

import java.util.Objects;

/** An attractor was deleted. */
public record AttractorDeleted(String name) implements ConfigurationEvent {

    public AttractorDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.attractorDeleted(this);
    }
}
