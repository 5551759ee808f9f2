package io.statelesslb.domain.event;

import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import java.util.List;
import java.util.Objects;

/** A flow was defined or changed: packets to its VIPs that match every criterion belong to its stream. */
public record FlowDefined(
        String name,
        String stream,
        int priority,
        List<Protocol> protocols,
        List<Cidr> sourceSubnets,
        List<PortRange> sourcePorts,
        List<PortRange> destinationPorts,
        List<String> vips,
        List<ByteMatch> byteMatches) implements ConfigurationEvent {

    public FlowDefined {
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(stream, "stream is required");
        protocols = Lists.copy(protocols);
        sourceSubnets = Lists.copy(sourceSubnets);
        sourcePorts = Lists.copy(sourcePorts);
        destinationPorts = Lists.copy(destinationPorts);
        vips = Lists.copy(vips);
        byteMatches = Lists.copy(byteMatches);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.flowDefined(this);
    }
}
