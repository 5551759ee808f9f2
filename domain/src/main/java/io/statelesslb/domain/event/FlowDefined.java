package io.statelesslb.domain.event;

import java.util.List;

/** A flow was defined or changed; every list holds the text forms the API and config accept. */
public record FlowDefined(
        String name,
        String stream,
        int priority,
        List<String> protocols,
        List<String> sourceSubnets,
        List<String> sourcePorts,
        List<String> destinationPorts,
        List<String> vips,
        List<String> byteMatches) implements ConfigurationEvent {

    public FlowDefined {
        protocols = Lists.copy(protocols);
        sourceSubnets = Lists.copy(sourceSubnets);
        sourcePorts = Lists.copy(sourcePorts);
        destinationPorts = Lists.copy(destinationPorts);
        vips = Lists.copy(vips);
        byteMatches = Lists.copy(byteMatches);
    }
}
