package io.statelesslb.domain.event;

import java.util.Objects;

/** A flow was deleted. */
public record FlowDeleted(String name) implements ConfigurationEvent {

    public FlowDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.flowDeleted(this);
    }
}
