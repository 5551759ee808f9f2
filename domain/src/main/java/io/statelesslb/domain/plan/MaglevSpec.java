package io.statelesslb.domain.plan;

/**
 * The shape of a stream's Maglev table as nfqlb is given it: the requested table size M (the engine uses the
 * largest prime not above it) and the number of slots N.
 */
public record MaglevSpec(int requestedM, int n) {
}
