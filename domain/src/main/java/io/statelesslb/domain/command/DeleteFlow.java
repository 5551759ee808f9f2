package io.statelesslb.domain.command;

/** Delete a flow. Decided into {@code FlowDeleted}. */
public record DeleteFlow(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteFlow(this);
    }
}
