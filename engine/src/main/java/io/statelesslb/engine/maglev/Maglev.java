package io.statelesslb.engine.maglev;

import java.util.Arrays;

/**
 * The Maglev table of one stream: which slots are active with which fwmark, and the populated lookup. Changes
 * (from the control lane, one thread) build a new immutable {@link View} and publish it with one volatile write;
 * packet threads read the current view once per packet, so they never see a half-filled table and never lock.
 */
public final class Maglev {

    /** What packet threads read: the lookup and the fwmark of each slot (0 when the slot is inactive). */
    public static final class View {
        private final MaglevTable table;
        private final int[] fwmarkBySlot;

        View(MaglevTable table, int[] fwmarkBySlot) {
            this.table = table;
            this.fwmarkBySlot = fwmarkBySlot;
        }

        /** @return the slot for an unsigned 32-bit hash, or {@link MaglevTable#NONE} when nothing is active */
        public int slotFor(int hash) {
            return table.slotFor(hash);
        }

        /** @return the fwmark of {@code slot} (0 when inactive) */
        public int fwmarkOf(int slot) {
            return fwmarkBySlot[slot];
        }

        /** @return the populated lookup table */
        public MaglevTable table() {
            return table;
        }
    }

    private final Permutations permutations;
    private final int[] fwmarkBySlot;
    private volatile View view;

    /**
     * @param requestedM the table size asked for (the largest prime not above it is used, as nfqlb)
     * @param n          the number of slots
     * @param cache      where permutations are shared between tables of the same shape
     */
    public Maglev(int requestedM, int n, PermutationCache cache) {
        this.permutations = cache.get(Primes.largestAtMost(requestedM), n);
        this.fwmarkBySlot = new int[n];
        this.view = new View(MaglevTable.populate(permutations, new boolean[n]), fwmarkBySlot.clone());
    }

    /** @return the current view, for packet threads */
    public View view() {
        return view;
    }

    /** @return the effective table size M */
    public int m() {
        return permutations.m();
    }

    /** @return the number of slots N */
    public int n() {
        return permutations.n();
    }

    /** Activates {@code slot} with {@code fwmark} and republishes the table. */
    public synchronized void activate(int slot, int fwmark) {
        checkSlot(slot);
        if (fwmark == 0) {
            throw new IllegalArgumentException("fwmark=0 (expected: a non-zero fwmark for slot " + slot + ")");
        }
        fwmarkBySlot[slot] = fwmark;
        publish();
    }

    /** Deactivates {@code slot} and republishes the table. */
    public synchronized void deactivate(int slot) {
        checkSlot(slot);
        fwmarkBySlot[slot] = 0;
        publish();
    }

    /**
     * Replaces every slot's fwmark at once (0 = inactive) with a single repopulate: what a burst of target
     * events needs.
     */
    public synchronized void setAll(int[] fwmarks) {
        if (fwmarks.length != fwmarkBySlot.length) {
            throw new IllegalArgumentException("fwmarks for " + fwmarks.length + " slots (expected: " + n() + ")");
        }
        System.arraycopy(fwmarks, 0, fwmarkBySlot, 0, fwmarks.length);
        publish();
    }

    private void publish() {
        boolean[] active = new boolean[fwmarkBySlot.length];
        for (int slot = 0; slot < active.length; slot++) {
            active[slot] = fwmarkBySlot[slot] != 0;
        }
        view = new View(MaglevTable.populate(permutations, active), Arrays.copyOf(fwmarkBySlot, fwmarkBySlot.length));
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= fwmarkBySlot.length) {
            throw new IllegalArgumentException("slot=" + slot + " (expected: 0.." + (fwmarkBySlot.length - 1) + ")");
        }
    }
}
