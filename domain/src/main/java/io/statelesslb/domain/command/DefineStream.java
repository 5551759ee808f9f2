package io.statelesslb.domain.command;

/** Define or change a stream of up to {@code maxTargets} targets over a conduit. Decided into {@code StreamDefined}. */
public record DefineStream(String name, String conduit, int maxTargets) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineStream(this);
    }
}
