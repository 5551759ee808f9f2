package io.statelesslb.domain.command;

/** Report an interface down (or gone). Decided into {@code InterfaceDown}. */
public record ReportInterfaceDown(String name) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportInterfaceDown(this);
    }
}
