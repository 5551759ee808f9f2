package io.statelesslb.domain.command;

import java.util.List;

/**
 * Report an interface up with these addresses ({@code ADDRESS/PREFIX}); MTU 0 if unknown. Decided into {@code
 * InterfaceUp}.
 */
public record ReportInterfaceUp(String name, List<String> addresses, int mtu) implements ObservationCommand {

    public ReportInterfaceUp {
        addresses = Lists.copy(addresses);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportInterfaceUp(this);
    }
}
