package io.statelesslb.domain.event;

import java.util.List;

/** An attractor was defined or changed: the VIPs it announces and the gateways it uses. */
public record AttractorDefined(String name, List<String> vips, List<String> gateways) implements ConfigurationEvent {

    public AttractorDefined {
        vips = Lists.copy(vips);
        gateways = Lists.copy(gateways);
    }
}
