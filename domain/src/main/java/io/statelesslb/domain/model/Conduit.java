package io.statelesslb.domain.model;

import java.util.List;

/**
 * The network the load balancer reaches its targets through; its interfaces are those whose name starts with
 * {@code interfacePrefix} (the seed's {@code conduit-a-*}). Traffic to its targets may have its destination port
 * translated ({@code destinationPortNats}).
 */
public record Conduit(String name, String interfacePrefix, List<PortNat> destinationPortNats) {

    public Conduit {
        destinationPortNats = destinationPortNats == null ? List.of() : List.copyOf(destinationPortNats);
    }

    /** A conduit without port translation. */
    public Conduit(String name, String interfacePrefix) {
        this(name, interfacePrefix, List.of());
    }

    /** @return whether the interface called {@code interfaceName} belongs to this conduit */
    public boolean owns(String interfaceName) {
        return interfaceName.startsWith(interfacePrefix);
    }
}
