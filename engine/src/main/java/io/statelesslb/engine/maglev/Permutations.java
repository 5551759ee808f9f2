package io.statelesslb.engine.maglev;

/**
 * The Maglev preference lists of N slots over a table of M entries, drawn as nfqlb draws them: for each slot in
 * order, {@code offset = rand() % M}, then {@code skip = rand() % (M - 1) + 1}; row i is
 * {@code (offset + j * skip) % M}. Only each row's offset and skip are kept: populating walks the rows by adding
 * the skip, so no M×N table (4 MB for M=9973, N=100) is built or read. Immutable.
 */
public final class Permutations {

    private final int m;
    private final int[] offset;
    private final int[] skip;

    private Permutations(int m, int n) {
        this.m = m;
        this.offset = new int[n];
        this.skip = new int[n];
        GlibcRandom random = new GlibcRandom();
        for (int slot = 0; slot < n; slot++) {
            offset[slot] = random.next() % m;
            skip[slot] = random.next() % (m - 1) + 1;
        }
    }

    /**
     * @param m the effective (prime) table size, at least 3
     * @param n the number of slots, at least 1
     * @return the permutations for (m, n), freshly drawn
     */
    public static Permutations compute(int m, int n) {
        if (m < 3 || n < 1) {
            throw new IllegalArgumentException("M=" + m + ", N=" + n + " (expected: M >= 3, N >= 1)");
        }
        return new Permutations(m, n);
    }

    /** @return the table size M */
    public int m() {
        return m;
    }

    /** @return the number of slots N */
    public int n() {
        return offset.length;
    }

    /** @return where slot {@code slot}'s preference list starts */
    int offset(int slot) {
        return offset[slot];
    }

    /** @return the step of slot {@code slot}'s preference list */
    int skip(int slot) {
        return skip[slot];
    }

    /** @return entry {@code j} of slot {@code slot}'s preference list */
    int entry(int slot, int j) {
        return (int) ((offset[slot] + (long) j * skip[slot]) % m);
    }
}
