package io.statelesslb.domain.command;

/** Take an instance out of the LB tier. Decided into {@code InstanceLeft}. */
public record LeaveTier(String name) implements TierCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.leaveTier(this);
    }
}
