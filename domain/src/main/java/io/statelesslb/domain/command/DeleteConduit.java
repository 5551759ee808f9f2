package io.statelesslb.domain.command;

/** Delete a conduit no stream uses. Decided into {@code ConduitDeleted}. */
public record DeleteConduit(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteConduit(this);
    }
}
