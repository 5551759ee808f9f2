package io.statelesslb.domain.event;

import java.util.Objects;

/** A VIP was deleted. */
public record VipDeleted(String name) implements ConfigurationEvent {

    public VipDeleted {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.vipDeleted(this);
    }
}
