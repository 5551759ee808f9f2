package io.statelesslb.engine.maglev;

/**
 * The Maglev preference lists of N slots over a table of M entries, drawn as nfqlb draws them: for each slot in
 * order, {@code offset = rand() % M}, then {@code skip = rand() % (M - 1) + 1}; row i is
 * {@code (offset + j * skip) % M}. Up to {@link #MAX_ROW_ENTRIES} entries (M×N) the rows are written out once, so
 * that populating reads the next preference instead of computing it from the last one (the loads run ahead; the
 * additions wait on each other): 4 MB for M=9973, N=100, shared by every stream of that shape. Larger shapes keep
 * only each row's offset and skip. Immutable.
 */
public final class Permutations {

    /** The most M×N entries written out as rows: 16 MB (M=9973 with N up to 420, say). */
    static final int MAX_ROW_ENTRIES = 4 << 20;

    private final int m;
    private final int[] offset;
    private final int[] skip;
    /** Each skip's inverse modulo M (M is prime), to find where an entry comes in a row. */
    private final long[] inverseSkip;
    /** ceil(2^64 / M), for {@link #first}'s remainder. */
    private final long reciprocal;
    /** Row {@code slot} from {@code slot * m}; null above {@link #MAX_ROW_ENTRIES}. */
    private final int[] rows;

    private Permutations(int m, int n, int maxRowEntries) {
        this.m = m;
        this.offset = new int[n];
        this.skip = new int[n];
        GlibcRandom random = new GlibcRandom();
        for (int slot = 0; slot < n; slot++) {
            offset[slot] = random.next() % m;
            skip[slot] = random.next() % (m - 1) + 1;
        }
        this.reciprocal = Long.divideUnsigned(-1L, m) + 1;
        this.inverseSkip = new long[n];
        for (int slot = 0; slot < n; slot++) {
            inverseSkip[slot] = inverse(skip[slot], m);
        }
        this.rows = (long) m * n <= maxRowEntries ? new int[m * n] : null;
        if (rows != null) {
            for (int slot = 0; slot < n; slot++) {
                int entry = offset[slot];
                for (int j = 0, at = slot * m; j < m; j++, at++) {
                    rows[at] = entry;
                    entry += skip[slot];
                    entry = entry >= m ? entry - m : entry;
                }
            }
        }
    }

    /**
     * @param m the effective (prime) table size, at least 3
     * @param n the number of slots, at least 1
     * @return the permutations for (m, n), freshly drawn
     */
    public static Permutations compute(int m, int n) {
        return compute(m, n, MAX_ROW_ENTRIES);
    }
    /** {@link #compute(int, int)} with rows written out only up to {@code maxRowEntries} entries. */
    static Permutations compute(int m, int n, int maxRowEntries) {
        if (m < 3 || n < 1) {
            throw new IllegalArgumentException("M=" + m + ", N=" + n + " (expected: M >= 3, N >= 1)");
        }
        return new Permutations(m, n, maxRowEntries);
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

    /** @return every slot's preference list, slot {@code s} from {@code s * m()}; null when they are not kept */
    int[] rows() {
        return rows;
    }

    /** @return {@code value}'s inverse modulo the prime {@code m}, by the extended Euclidean algorithm */
    private static long inverse(long value, long m) {
        long r0 = m;
        long r1 = value;
        long t0 = 0;
        long t1 = 1;
        while (r1 != 0) {
            long quotient = r0 / r1;
            long r = r0 - quotient * r1;
            r0 = r1;
            r1 = r;
            long t = t0 - quotient * t1;
            t0 = t1;
            t1 = t;
        }
        return t0 < 0 ? t0 + m : t0;
    }

    /**
     * @return the index in {@code entries} (the first {@code count}) of the entry that comes first in slot
     *         {@code slot}'s preference list
     */
    int first(int slot, int[] entries, int count) {
        int start = offset[slot];
        long inverse = inverseSkip[slot];
        // Below 2^32 (M under 2^16) the remainder takes two multiplications (Lemire's fastmod), no division.
        boolean fast = m < 1 << 16;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int difference = entries[i] - start;
            long product = (difference < 0 ? difference + m : difference) * inverse;
            long position;
            if (fast) {
                long fraction = reciprocal * product;
                position = Math.multiplyHigh(fraction, m) + (fraction < 0 ? m : 0);
            } else {
                position = product % m;
            }
            // Position and index in one key: the smallest key is the earliest entry, found without a branch.
            best = Math.min(best, position << 32 | i);
        }
        return (int) best;
    }

    /** @return entry {@code j} of slot {@code slot}'s preference list */
    int entry(int slot, int j) {
        return (int) ((offset[slot] + (long) j * skip[slot]) % m);
    }
}
