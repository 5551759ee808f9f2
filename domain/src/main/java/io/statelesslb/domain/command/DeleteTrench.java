package io.statelesslb.domain.command;

/** Take the trench down; allowed once nothing else is defined. Decided into {@code TrenchDeleted}. */
public record DeleteTrench(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteTrench(this);
    }
}
