package io.statelesslb.domain.command;

import java.util.List;

/**
 * Define or change an attractor: the VIPs it announces and the gateways it uses. Decided into {@code AttractorDefined}.
 */
public record DefineAttractor(String name, List<String> vips, List<String> gateways) implements ConfigurationCommand {

    public DefineAttractor {
        vips = Lists.copy(vips);
        gateways = Lists.copy(gateways);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineAttractor(this);
    }
}
