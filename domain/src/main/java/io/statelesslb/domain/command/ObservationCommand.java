package io.statelesslb.domain.command;

/**
 * The kernel, the routing daemon or the controller itself reports what it observed of the machine or of the dataplane.
 */
public sealed interface ObservationCommand extends Command
        permits ReportInterfaceUp, ReportInterfaceDown, ReportNeighbourReachable, ReportNeighbourFailed,
        ReportGatewaySessionUp, ReportGatewaySessionDown, ReportRoutingDaemonRestart,
        RecordDrift, RecordApplyFailure, RecordApplyRecovery {
}
