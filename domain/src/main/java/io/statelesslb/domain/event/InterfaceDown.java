package io.statelesslb.domain.event;

import java.util.Objects;

/** The kernel reported an interface down (or gone). */
public record InterfaceDown(String name) implements ObservationEvent {

    public InterfaceDown {
        Objects.requireNonNull(name, "name is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.interfaceDown(this);
    }
}
