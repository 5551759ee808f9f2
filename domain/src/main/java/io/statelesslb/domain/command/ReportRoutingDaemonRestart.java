package io.statelesslb.domain.command;

/**
 * Report that the routing daemon stopped on its own and was started again. Decided into
 * {@code RoutingDaemonRestarted}.
 */
public record ReportRoutingDaemonRestart(String reason) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportRoutingDaemonRestart(this);
    }
}
