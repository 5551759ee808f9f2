package io.statelesslb.domain.command;

/** Delete a stream no flow and no target uses. Decided into {@code StreamDeleted}. */
public record DeleteStream(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteStream(this);
    }
}
