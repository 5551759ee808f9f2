package io.statelesslb.domain.event;

import io.statelesslb.domain.net.Cidr;
import java.util.Objects;

/** A VIP was defined or moved to another address. */
public record VipDefined(String name, Cidr address) implements ConfigurationEvent {

    public VipDefined {
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(address, "address is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.vipDefined(this);
    }
}
