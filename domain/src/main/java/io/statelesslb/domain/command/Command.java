package io.statelesslb.domain.command;

/**
 * A request to change the trench, as it comes from a source: the YAML configuration, the HTTP API, the kernel or
 * the routing daemon, the controller's own records. Commands are imperative ({@code RegisterTarget}) and hold what
 * the source sent, unchecked; {@code Decider.decide(state, command)} checks it against the state and turns it into
 * an event (a fact, holding parsed values) or a rejection naming every problem.
 */
public sealed interface Command permits ConfigurationCommand, TargetCommand, TierCommand, ObservationCommand {

    /** @return what {@code visitor} makes of this command */
    <R> R accept(Visitor<R> visitor);

    /** Does something with each kind of command; the compiler checks that every kind is handled. */
    interface Visitor<R> {
        R defineTrench(DefineTrench command);

        R configureLoadBalancer(ConfigureLoadBalancer command);

        R deleteTrench(DeleteTrench command);

        R defineConduit(DefineConduit command);

        R deleteConduit(DeleteConduit command);

        R defineStream(DefineStream command);

        R deleteStream(DeleteStream command);

        R defineFlow(DefineFlow command);

        R deleteFlow(DeleteFlow command);

        R defineVip(DefineVip command);

        R deleteVip(DeleteVip command);

        R defineAttractor(DefineAttractor command);

        R deleteAttractor(DeleteAttractor command);

        R defineGateway(DefineGateway command);

        R deleteGateway(DeleteGateway command);

        R registerTarget(RegisterTarget command);

        R unregisterTarget(UnregisterTarget command);

        R enableTarget(EnableTarget command);

        R disableTarget(DisableTarget command);

        R joinTier(JoinTier command);

        R leaveTier(LeaveTier command);

        R reportInterfaceUp(ReportInterfaceUp command);

        R reportInterfaceDown(ReportInterfaceDown command);

        R reportNeighbourReachable(ReportNeighbourReachable command);

        R reportNeighbourFailed(ReportNeighbourFailed command);

        R reportGatewaySessionUp(ReportGatewaySessionUp command);

        R reportGatewaySessionDown(ReportGatewaySessionDown command);

        R reportRoutingDaemonRestart(ReportRoutingDaemonRestart command);

        R recordDrift(RecordDrift command);

        R recordApplyFailure(RecordApplyFailure command);

        R recordApplyRecovery(RecordApplyRecovery command);
    }
}
