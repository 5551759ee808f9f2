package io.statelesslb.domain.command;

/** Put a registered target back into service. Decided into {@code TargetEnabled}. */
public record EnableTarget(String stream, int identifier) implements TargetCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.enableTarget(this);
    }
}
