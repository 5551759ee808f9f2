package io.statelesslb.engine.maglev;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Permutations by (M, N), computed once: they depend on nothing else (the generator restarts for every table), so
 * a target change repopulates a table without drawing them again, and streams of one shape share them.
 */
public final class PermutationCache {

    private final ConcurrentHashMap<Long, Permutations> byShape = new ConcurrentHashMap<>();

    /** @return the permutations for effective table size {@code m} and {@code n} slots */
    public Permutations get(int m, int n) {
        return byShape.computeIfAbsent(((long) m << 32) | n, shape -> Permutations.compute(m, n));
    }
}
