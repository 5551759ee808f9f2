package io.statelesslb.domain.event;

import io.statelesslb.domain.net.Cidr;
import java.util.List;
import java.util.Objects;

/** The kernel reported an interface up with these addresses; MTU 0 if unknown. */
public record InterfaceUp(String name, List<Cidr> addresses, int mtu) implements ObservationEvent {

    public InterfaceUp {
        Objects.requireNonNull(name, "name is required");
        addresses = Lists.copy(addresses);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.interfaceUp(this);
    }
}
