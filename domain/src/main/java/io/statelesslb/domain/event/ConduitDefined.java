package io.statelesslb.domain.event;

import io.statelesslb.domain.model.PortNat;
import java.util.List;
import java.util.Objects;

/**
 * A conduit was defined or changed: its interfaces are those whose name starts with {@code interfacePrefix} (in logs
 * written before it was always filled in, an empty one means {@code name + "-"}), and traffic to its targets has its
 * destination port translated as {@code destinationPortNats} say (absent in logs written before them: none).
 */
public record ConduitDefined(String name, String interfacePrefix, List<PortNat> destinationPortNats)
        implements ConfigurationEvent {

    public ConduitDefined {
        Objects.requireNonNull(name, "name is required");
        interfacePrefix = interfacePrefix == null || interfacePrefix.isEmpty() ? name + "-" : interfacePrefix;
        destinationPortNats = Lists.copy(destinationPortNats);
    }

    /** A conduit without port translation. */
    public ConduitDefined(String name, String interfacePrefix) {
        this(name, interfacePrefix, List.of());
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.conduitDefined(this);
    }
}
