package io.statelesslb.domain.event;

import java.util.List;

/** The kernel reported an interface up with these addresses ({@code ADDRESS/PREFIX}); MTU 0 if unknown. */
public record InterfaceUp(String name, List<String> addresses, int mtu) implements ObservationEvent {

    public InterfaceUp {
        addresses = Lists.copy(addresses);
    }
}
