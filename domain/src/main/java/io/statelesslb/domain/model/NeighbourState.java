package io.statelesslb.domain.model;

/** What the kernel last said of a neighbour (ARP/NDP entry). */
public enum NeighbourState {
    REACHABLE,
    FAILED
}
