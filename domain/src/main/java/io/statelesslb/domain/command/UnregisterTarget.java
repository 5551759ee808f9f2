package io.statelesslb.domain.command;

/** Take a target out of its stream. Decided into {@code TargetUnregistered}. */
public record UnregisterTarget(String stream, int identifier) implements TargetCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.unregisterTarget(this);
    }
}
