package io.statelesslb.domain.event;

/** The kernel or a gateway daemon reported a change: an interface, a neighbour, a gateway session. */
public sealed interface ObservationEvent extends Event
        permits InterfaceUp, InterfaceDown, NeighbourReachable, NeighbourFailed, GatewaySessionUp,
        GatewaySessionDown, DriftObserved {
}
