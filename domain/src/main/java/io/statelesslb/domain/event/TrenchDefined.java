package io.statelesslb.domain.event;

import java.util.Objects;

/** The trench this daemon serves was named. */
public record TrenchDefined(String name) implements ConfigurationEvent {

    public TrenchDefined {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.trenchDefined(this);
    }
}
