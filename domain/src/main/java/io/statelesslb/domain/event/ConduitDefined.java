package io.statelesslb.domain.event;

import java.util.Objects;

/**
 * A conduit was defined or changed: its interfaces are those whose name starts with {@code interfacePrefix} (in logs
 * written before it was always filled in, an empty one means {@code name + "-"}).
 */
public record ConduitDefined(String name, String interfacePrefix) implements ConfigurationEvent {

    public ConduitDefined {
        Objects.requireNonNull(name, "name is required");
        interfacePrefix = interfacePrefix == null || interfacePrefix.isEmpty() ? name + "-" : interfacePrefix;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.conduitDefined(this);
    }
}
