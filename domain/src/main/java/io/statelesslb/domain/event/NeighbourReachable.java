package io.statelesslb.domain.event;

/** The kernel reported a neighbour entry reachable, with its link-layer address. */
public record NeighbourReachable(String address, String interfaceName, String mac) implements ObservationEvent {}
