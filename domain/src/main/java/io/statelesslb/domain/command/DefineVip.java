package io.statelesslb.domain.command;

/** Define a VIP or move it to another address ({@code address} is a CIDR). Decided into {@code VipDefined}. */
public record DefineVip(String name, String address) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineVip(this);
    }
}
