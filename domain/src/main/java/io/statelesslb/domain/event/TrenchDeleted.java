package io.statelesslb.domain.event;

import java.util.Objects;

/** The trench was taken down; only allowed once nothing else is defined. */
public record TrenchDeleted(String name) implements ConfigurationEvent {

    public TrenchDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.trenchDeleted(this);
    }
}
