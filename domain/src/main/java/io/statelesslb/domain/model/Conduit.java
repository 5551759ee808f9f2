package io.statelesslb.domain.model;

/**
 * The network the load balancer reaches its targets through; its interfaces are those whose name starts with
 * {@code interfacePrefix} (the seed's {@code conduit-a-*}).
 */
public record Conduit(String name, String interfacePrefix) {

    /** @return whether the interface called {@code interfaceName} belongs to this conduit */
    public boolean owns(String interfaceName) {
        return interfaceName.startsWith(interfacePrefix);
    }
}
