package io.statelesslb.domain.command;

/** Take a registered target out of service; it stays registered. Decided into {@code TargetDisabled}. */
public record DisableTarget(String stream, int identifier) implements TargetCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.disableTarget(this);
    }
}
