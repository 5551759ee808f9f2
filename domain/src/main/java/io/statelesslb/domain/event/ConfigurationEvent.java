package io.statelesslb.domain.event;

/**
 * A configuration object (trench, conduit, stream, flow, VIP, attractor, gateway) was defined or deleted, or the load
 * balancer's settings were set.
 */
public sealed interface ConfigurationEvent extends Event
        permits TrenchDefined, TrenchDeleted, ConduitDefined, ConduitDeleted, StreamDefined, StreamDeleted,
        FlowDefined, FlowDeleted, VipDefined, VipDeleted, AttractorDefined, AttractorDeleted,
        GatewayDefined, GatewayDeleted, LoadBalancerConfigured {

    /** @return the name of the object the event is about */
    String name();
}
