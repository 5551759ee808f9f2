package io.statelesslb.domain.command;

/**
 * Let an instance join the LB tier, reachable at {@code address} by way of its {@code interfaceName}. Decided into
 * {@code InstanceJoined}.
 */
public record JoinTier(String name, String address, String interfaceName) implements TierCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.joinTier(this);
    }
}
