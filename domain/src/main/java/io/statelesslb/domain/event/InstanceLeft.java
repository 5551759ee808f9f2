package io.statelesslb.domain.event;

import java.util.Objects;

/** An instance left the LB tier: the others keep its fragments from now on. */
public record InstanceLeft(String name) implements TierEvent {

    public InstanceLeft {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.instanceLeft(this);
    }
}
