package io.statelesslb.domain.event;

/**
 * The kernel or a gateway daemon reported a change (an interface, a neighbour, a gateway session), or the
 * controller observed how the dataplane took its operations (drift, failed and recovered applies).
 */
public sealed interface ObservationEvent extends Event
        permits InterfaceUp, InterfaceDown, NeighbourReachable, NeighbourFailed, GatewaySessionUp,
        GatewaySessionDown, RoutingDaemonRestarted, ControllerRecord {
}
