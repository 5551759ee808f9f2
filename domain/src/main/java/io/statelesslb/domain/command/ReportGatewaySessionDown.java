package io.statelesslb.domain.command;

/** Report a gateway's session (BGP, or BFD for a static gateway) down. Decided into {@code GatewaySessionDown}. */
public record ReportGatewaySessionDown(String gateway) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportGatewaySessionDown(this);
    }
}
