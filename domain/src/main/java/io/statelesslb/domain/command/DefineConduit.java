package io.statelesslb.domain.command;

/**
 * Define or change a conduit; an absent or empty {@code interfacePrefix} means {@code name + "-"}. Decided into {@code
 * ConduitDefined}.
 */
public record DefineConduit(String name, String interfacePrefix) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineConduit(this);
    }
}
