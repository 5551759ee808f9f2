package io.statelesslb.domain.command;

import java.util.List;

/**
 * Define or change a conduit; an absent or empty {@code interfacePrefix} means {@code name + "-"}; absent
 * {@code destinationPortNats} mean none. Decided into {@code ConduitDefined}.
 */
public record DefineConduit(String name, String interfacePrefix, List<DestinationPortNat> destinationPortNats)
        implements ConfigurationCommand {

    public DefineConduit {
        destinationPortNats = destinationPortNats == null ? List.of() : List.copyOf(destinationPortNats);
    }

    /** A conduit without port translation. */
    public DefineConduit(String name, String interfacePrefix) {
        this(name, interfacePrefix, List.of());
    }

    /**
     * One destination port translation, as written: packets to {@code vips} over {@code protocol} to {@code port}
     * reach the targets on {@code targetPort}.
     */
    public record DestinationPortNat(String protocol, Integer port, Integer targetPort, List<String> vips) {

        public DestinationPortNat {
            vips = vips == null ? List.of() : List.copyOf(vips);
        }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineConduit(this);
    }
}
