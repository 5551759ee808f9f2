package io.statelesslb.domain.command;

/** Delete a VIP no flow and no attractor uses. Decided into {@code VipDeleted}. */
public record DeleteVip(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteVip(this);
    }
}
