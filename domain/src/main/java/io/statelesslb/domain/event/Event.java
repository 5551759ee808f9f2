package io.statelesslb.domain.event;

/**
 * Something that happened to the trench: a configuration object was defined or deleted, a target was
 * registered or changed, an instance joined or left the LB tier, or the kernel or a gateway daemon observed
 * something. Events are immutable facts, named in the past tense, holding parsed values: a command was decided into
 * them once, and folding them ({@code State.evolve}) never checks them again. The event log gives each one a
 * sequence number and a timestamp ({@link RecordedEvent}).
 */
public sealed interface Event permits ConfigurationEvent, TargetEvent, TierEvent, ObservationEvent {

    /** @return what {@code visitor} makes of this event */
    <R> R accept(Visitor<R> visitor);

    /** Does something with each kind of event; the compiler checks that every kind is handled. */
    interface Visitor<R> {
        R trenchDefined(TrenchDefined event);

        R loadBalancerConfigured(LoadBalancerConfigured event);

        R trenchDeleted(TrenchDeleted event);

        R conduitDefined(ConduitDefined event);

        R conduitDeleted(ConduitDeleted event);

        R streamDefined(StreamDefined event);

        R streamDeleted(StreamDeleted event);

        R flowDefined(FlowDefined event);

        R flowDeleted(FlowDeleted event);

        R vipDefined(VipDefined event);

        R vipDeleted(VipDeleted event);

        R attractorDefined(AttractorDefined event);

        R attractorDeleted(AttractorDeleted event);

        R gatewayDefined(GatewayDefined event);

        R gatewayDeleted(GatewayDeleted event);

        R targetRegistered(TargetRegistered event);

        R targetUnregistered(TargetUnregistered event);

        R targetEnabled(TargetEnabled event);

        R targetDisabled(TargetDisabled event);

        R instanceJoined(InstanceJoined event);

        R instanceLeft(InstanceLeft event);

        R interfaceUp(InterfaceUp event);

        R interfaceDown(InterfaceDown event);

        R neighbourReachable(NeighbourReachable event);

        R neighbourFailed(NeighbourFailed event);

        R gatewaySessionUp(GatewaySessionUp event);

        R gatewaySessionDown(GatewaySessionDown event);

        R routingDaemonRestarted(RoutingDaemonRestarted event);

        R driftObserved(DriftObserved event);

        R applyFailed(ApplyFailed event);

        R applyRecovered(ApplyRecovered event);
    }
}
