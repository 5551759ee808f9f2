package io.statelesslb.domain.command;

/** Report a gateway's session (BGP, or BFD for a static gateway) up. Decided into {@code GatewaySessionUp}. */
public record ReportGatewaySessionUp(String gateway) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportGatewaySessionUp(this);
    }
}
