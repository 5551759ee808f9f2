package io.statelesslb.domain.model;

/** A group of up to {@code maxTargets} targets, reached over one conduit, that share one Maglev table. */
public record Stream(String name, String conduit, int maxTargets) {

    /** Largest accepted {@code maxTargets}: Maglev keeps N permutations of about 100·N entries each. */
    public static final int MAX_TARGETS = 1000;

    /** Maglev table size asked for per target; the table uses the largest prime not above it. */
    public static final int M_PER_TARGET = 100;

    /** @return the requested Maglev table size M (before rounding down to a prime) */
    public int requestedM() {
        return M_PER_TARGET * maxTargets;
    }
}
