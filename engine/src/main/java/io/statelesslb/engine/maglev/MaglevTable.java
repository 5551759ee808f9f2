package io.statelesslb.engine.maglev;

/**
 * One populated Maglev lookup table: for each of M entries the slot that owns it (-1 when no slot is active).
 * Immutable after construction, so packet threads can read it without locks while a new one is built.
 */
public final class MaglevTable {

    /** The entry value when no slot is active. */
    public static final int NONE = -1;

    /** Free entries left when populating turns from probing rows to choosing among them by position. */
    private static final int LAST_FREE = 64;

    private final int[] lookup;
    /** ceil(2^64 / M): {@code hash % M} becomes two multiplications (Lemire's fastmod), no division. */
    private final long inverse;

    private MaglevTable(int[] lookup) {
        this.lookup = lookup;
        this.inverse = Long.divideUnsigned(-1L, lookup.length) + 1;
    }

    /**
     * Populates a table as the Maglev paper does: active slots take turns, in index order, each claiming the
     * next entry of its preference list that no one has claimed, until every entry is owned.
     *
     * @param permutations the preference lists for (M, N)
     * @param active       which slots are active, indexed 0..N-1
     */
    public static MaglevTable populate(Permutations permutations, boolean[] active) {
        int m = permutations.m();
        int[] lookup = new int[m];
        java.util.Arrays.fill(lookup, NONE);
        int activeCount = 0;
        int[] slots = new int[permutations.n()];
        for (int slot = 0; slot < permutations.n(); slot++) {
            if (active[slot]) {
                slots[activeCount++] = slot;
            }
        }
        if (activeCount == 0) {
            return new MaglevTable(lookup);
        }
        int[] rows = permutations.rows();
        if (rows != null) {
            return new MaglevTable(populateFromRows(permutations, rows, m, slots, activeCount, lookup));
        }
        // Each active slot's current position in its preference list, advanced by its skip (mod M).
        int[] position = new int[activeCount];
        int[] skip = new int[activeCount];
        for (int k = 0; k < activeCount; k++) {
            position[k] = permutations.offset(slots[k]);
            skip[k] = permutations.skip(slots[k]);
        }
        // Probing reads only this bitset of claimed entries (1.2 KB for M=9973), which stays in L1.
        long[] taken = new long[(m + 63) >>> 6];
        int filled = 0;
        while (true) {
            for (int k = 0; k < activeCount; k++) {
                int entry = position[k];
                while ((taken[entry >>> 6] & (1L << entry)) != 0) {
                    entry = advance(entry, skip[k], m);
                }
                taken[entry >>> 6] |= 1L << entry;
                lookup[entry] = slots[k];
                position[k] = advance(entry, skip[k], m);
                if (++filled == m) {
                    return new MaglevTable(lookup);
                }
            }
        }
    }

    /**
     * The same turns, reading each slot's next preference from its written-out row: an entry is free while the
     * lookup still says {@link #NONE}.
     */
    private static int[] populateFromRows(Permutations permutations, int[] rows, int m, int[] slots, int activeCount,
                                          int[] lookup) {
        // Each active slot's next position in its row, as an index into rows.
        int[] next = new int[activeCount];
        for (int k = 0; k < activeCount; k++) {
            next[k] = slots[k] * m;
        }
        int filled = 0;
        int stop = m - LAST_FREE;
        // Whole turns of every active slot while one fits: a counted loop, with no check of the fill per claim.
        while (filled + activeCount <= stop) {
            for (int k = 0; k < activeCount; k++) {
                next[k] = claim(rows, next[k], lookup, slots[k]);
            }
            filled += activeCount;
        }
        int k = 0;
        for (; filled < stop; k++, filled++) {
            next[k] = claim(rows, next[k], lookup, slots[k]);
        }
        // The last few free entries: a slot would probe about M / free entries to find one; instead each slot takes
        // the free entry that comes first in its row, found by each entry's position (known from offset and skip).
        int free = m - filled;
        int[] left = new int[free];
        for (int entry = 0, n = 0; entry < m && n < free; entry++) {
            if (lookup[entry] == NONE) {
                left[n++] = entry;
            }
        }
        while (free > 0) {
            for (; k < activeCount && free > 0; k++) {
                int slot = slots[k];
                int best = permutations.first(slot, left, free);
                lookup[left[best]] = slot;
                left[best] = left[--free];
            }
            k = 0;
        }
        return lookup;
    }

    /** Gives {@code slot} the first free entry of its row from {@code at}; @return where its row goes on. */
    private static int claim(int[] rows, int at, int[] lookup, int slot) {
        int entry = rows[at];
        while (lookup[entry] != NONE) {
            entry = rows[++at];
        }
        lookup[entry] = slot;
        return at + 1;
    }

    private static int advance(int entry, int skip, int m) {
        int next = entry + skip;
        return next >= m ? next - m : next;
    }

    /** @return the slot owning {@code hash % M}, or {@link #NONE}; {@code hash} is an unsigned 32-bit value */
    public int slotFor(int hash) {
        return lookup[index(hash)];
    }

    /** @return {@code hash % M} with {@code hash} taken as unsigned 32-bit */
    int index(int hash) {
        long fraction = inverse * (hash & 0xFFFF_FFFFL);
        // The high 64 bits of the unsigned 128-bit product fraction * M (M is positive).
        long high = Math.multiplyHigh(fraction, lookup.length);
        return (int) (fraction < 0 ? high + lookup.length : high);
    }

    /** @return the table size M */
    public int size() {
        return lookup.length;
    }

    /** @return the slot owning entry {@code index} */
    public int entry(int index) {
        return lookup[index];
    }
}
