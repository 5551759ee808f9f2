package io.statelesslb.domain.event;

/** A configuration object (trench, conduit, stream, flow, VIP, attractor, gateway) was defined or deleted. */
public sealed interface ConfigurationEvent extends Event
        permits TrenchDefined, TrenchDeleted, ConduitDefined, ConduitDeleted, StreamDefined, StreamDeleted,
        FlowDefined, FlowDeleted, VipDefined, VipDeleted, AttractorDefined, AttractorDeleted,
        GatewayDefined, GatewayDeleted {

    /** @return the name of the object the event is about */
    String name();
}
