package io.statelesslb.domain.event;

/** The gateway daemon reported the session (BGP, or BFD for a static gateway) up. */
public record GatewaySessionUp(String gateway) implements ObservationEvent {}
