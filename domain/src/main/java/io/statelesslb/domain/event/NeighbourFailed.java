package io.statelesslb.domain.event;

/** The kernel reported a neighbour entry failed: the address does not answer ARP/NDP. */
public record NeighbourFailed(String address, String interfaceName) implements ObservationEvent {}
