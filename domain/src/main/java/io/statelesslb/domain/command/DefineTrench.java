package io.statelesslb.domain.command;

/** Name the trench this daemon serves. Decided into {@code TrenchDefined}. */
public record DefineTrench(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineTrench(this);
    }
}
