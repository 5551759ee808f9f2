package io.statelesslb.domain.event;

import java.util.List;
import java.util.Objects;

/** An attractor was defined or changed: the VIPs it announces and the gateways it uses. */
public record AttractorDefined(String name, List<String> vips, List<String> gateways) implements ConfigurationEvent {

    public AttractorDefined {
        Objects.requireNonNull(name, "name is required");
        vips = Lists.copy(vips);
        gateways = Lists.copy(gateways);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.attractorDefined(this);
    }
}
