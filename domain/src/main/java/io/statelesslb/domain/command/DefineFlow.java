package io.statelesslb.domain.command;

import java.util.List;

/**
 * Define or change a flow; every list holds the text forms the API and config accept. Decided into {@code FlowDefined}.
 */
public record DefineFlow(
        String name,
        String stream,
        int priority,
        List<String> protocols,
        List<String> sourceSubnets,
        List<String> sourcePorts,
        List<String> destinationPorts,
        List<String> vips,
        List<String> byteMatches) implements ConfigurationCommand {

    public DefineFlow {
        protocols = Lists.copy(protocols);
        sourceSubnets = Lists.copy(sourceSubnets);
        sourcePorts = Lists.copy(sourcePorts);
        destinationPorts = Lists.copy(destinationPorts);
        vips = Lists.copy(vips);
        byteMatches = Lists.copy(byteMatches);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineFlow(this);
    }
}
