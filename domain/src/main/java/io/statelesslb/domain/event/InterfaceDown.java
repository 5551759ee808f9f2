package io.statelesslb.domain.event;

/** The kernel reported an interface down (or gone). */
public record InterfaceDown(String name) implements ObservationEvent {}
