package io.statelesslb.domain.event;

/** The gateway daemon reported the session (BGP, or BFD for a static gateway) down. */
public record GatewaySessionDown(String gateway) implements ObservationEvent {}
