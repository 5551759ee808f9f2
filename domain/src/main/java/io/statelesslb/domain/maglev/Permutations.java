package io.statelesslb.domain.maglev;

/**
 * The Maglev preference lists of N slots over a table of M entries, drawn as nfqlb draws them: for each slot in
 * order, {@code offset = rand() % M}, then {@code skip = rand() % (M - 1) + 1}; row i is
 * {@code (offset + j * skip) % M}. Immutable once built, so one instance serves every table of the same (M, N).
 */
public final class Permutations {

    private final int m;
    private final int n;
    private final int[] rows;

    private Permutations(int m, int n) {
        this.m = m;
        this.n = n;
        this.rows = new int[m * n];
        GlibcRandom random = new GlibcRandom();
        for (int slot = 0; slot < n; slot++) {
            int offset = random.next() % m;
            int skip = random.next() % (m - 1) + 1;
            int base = slot * m;
            long entry = offset;
            for (int j = 0; j < m; j++) {
                rows[base + j] = (int) entry;
                entry += skip;
                if (entry >= m) {
                    entry -= m;
                }
            }
        }
    }

    /**
     * @param m the effective (prime) table size, at least 3
     * @param n the number of slots, at least 1
     * @return the permutations for (m, n), freshly computed
     */
    public static Permutations compute(int m, int n) {
        if (m < 3 || n < 1 || (long) m * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("M=" + m + ", N=" + n + " (expected: M >= 3, N >= 1, M*N < 2^31)");
        }
        return new Permutations(m, n);
    }

    /** @return the table size M */
    public int m() {
        return m;
    }

    /** @return the number of slots N */
    public int n() {
        return n;
    }

    /** @return entry {@code j} of slot {@code slot}'s preference list */
    int entry(int slot, int j) {
        return rows[slot * m + j];
    }
}
