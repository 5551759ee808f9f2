package io.statelesslb.engine.fragment;

import io.statelesslb.engine.packet.PacketKey;

/**
 * Remembers, per fragmented datagram (source, destination, fragment id), the fwmark its first fragment got, so
 * that later fragments, which carry no ports, go to the same target. Later fragments that arrive before their
 * first fragment are copied into a bounded pool and released, with the fwmark, when it arrives.
 *
 * <p>Everything is preallocated: an open-addressing table of {@code capacity} entries (linear probing, at most
 * {@link #MAX_PROBES} probes) and a pool of {@code poolSlots} buffers of {@code slotBytes}. Entries live for
 * {@code ttlNanos} from their creation on the injected clock; an expired entry is reused and its held fragments
 * returned to the pool. Thread-safe by one lock: only fragments come here, and they are rare.
 *
 * <p>Each held fragment carries its caller's tag (the kernel backend's queue packet id): a released fragment's tag
 * says which queued packet to let go with the first fragment's fwmark, and an expired one's which to drop, so the
 * kernel keeps the held packet itself and nothing is re-injected.
 */
public final class FragmentTable {

    /** {@link #later} result: the fragment was copied into the pool and waits for its first fragment. */
    public static final int HELD = -1;
    /** {@link #later} result: unknown datagram and no room to hold the fragment (pool or table full, too big). */
    public static final int DROPPED = -2;

    static final int MAX_PROBES = 16;

    private static final byte EMPTY = 0;
    private static final byte DECIDED = 1;
    private static final byte WAITING = 2;
    private static final int END = -1;

    private final int mask;
    private final long ttlNanos;
    private final byte[] state;
    private final long[] sourceHigh;
    private final long[] sourceLow;
    private final long[] destinationHigh;
    private final long[] destinationLow;
    private final int[] id;
    private final long[] expiresAt;
    private final int[] fwmark;
    private final int[] heldHead;

    private final int slotBytes;
    private final byte[] pool;
    private final int[] slotLength;
    private final int[] slotNext;
    private final long[] slotTag;
    private int freeSlots;

    private final int[] released;
    private int releasedCount;
    private final long[] expired;
    private int expiredCount;
    private long lastSweep;
    private boolean swept;

    /**
     * @param capacity  entries in the table (rounded up to a power of two)
     * @param poolSlots fragments that can be held at once
     * @param slotBytes the largest fragment that can be held
     * @param ttlNanos  how long a datagram's entry lives
     */
    public FragmentTable(int capacity, int poolSlots, int slotBytes, long ttlNanos) {
        if (capacity < 1 || capacity > (1 << 24) || poolSlots < 0 || slotBytes < 1 || ttlNanos <= 0) {
            throw new IllegalArgumentException("capacity=" + capacity + ", poolSlots=" + poolSlots + ", slotBytes="
                    + slotBytes + ", ttlNanos=" + ttlNanos + " (expected: 1..16777216, >= 0, >= 1, > 0)");
        }
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.mask = size - 1;
        this.ttlNanos = ttlNanos;
        this.state = new byte[size];
        this.sourceHigh = new long[size];
        this.sourceLow = new long[size];
        this.destinationHigh = new long[size];
        this.destinationLow = new long[size];
        this.id = new int[size];
        this.expiresAt = new long[size];
        this.fwmark = new int[size];
        this.heldHead = new int[size];
        this.slotBytes = slotBytes;
        this.pool = new byte[poolSlots * slotBytes];
        this.slotLength = new int[poolSlots];
        this.slotNext = new int[poolSlots];
        this.slotTag = new long[poolSlots];
        for (int slot = 0; slot < poolSlots; slot++) {
            slotNext[slot] = slot + 1 < poolSlots ? slot + 1 : END;
        }
        this.freeSlots = poolSlots > 0 ? 0 : END;
        this.released = new int[poolSlots];
        this.expired = new long[poolSlots];
    }

    /**
     * Records the decision for the first fragment of {@code key}'s datagram; fragments held for it are released
     * (read them with {@link #releasedCount()} and {@link #copyReleased} before the next call).
     *
     * @return whether the decision was stored (false when the table has no room near the datagram's place)
     */
    public synchronized boolean first(PacketKey key, int decidedFwmark, long nowNanos) {
        freeReleased();
        int entry = lookup(key, nowNanos);
        if (entry >= 0 && state[entry] == WAITING) {
            for (int slot = heldHead[entry]; slot != END; slot = slotNext[slot]) {
                released[releasedCount++] = slot;
            }
        } else if (entry < 0) {
            entry = claim(key, nowNanos);
            if (entry < 0) {
                return false;
            }
        }
        state[entry] = DECIDED;
        fwmark[entry] = decidedFwmark;
        heldHead[entry] = END;
        return true;
    }

    /**
     * A later fragment of {@code key}'s datagram, held (when it is) under {@code tag}.
     *
     * @return the fwmark its first fragment got, or {@link #HELD} when a copy now waits for the first fragment, or
     *         {@link #DROPPED} when it cannot be held
     */
    public synchronized int later(PacketKey key, byte[] packet, int offset, int length, long tag, long nowNanos) {
        freeReleased();
        int entry = lookup(key, nowNanos);
        if (entry >= 0 && state[entry] == DECIDED) {
            return fwmark[entry];
        }
        if (freeSlots == END && sweepDue(nowNanos)) {
            sweep(nowNanos);
        }
        if (length > slotBytes || freeSlots == END) {
            return DROPPED;
        }
        if (entry < 0) {
            entry = claim(key, nowNanos);
            if (entry < 0) {
                return DROPPED;
            }
            state[entry] = WAITING;
        }
        int slot = freeSlots;
        freeSlots = slotNext[slot];
        System.arraycopy(packet, offset, pool, slot * slotBytes, length);
        slotLength[slot] = length;
        slotTag[slot] = tag;
        slotNext[slot] = heldHead[entry];
        heldHead[entry] = slot;
        return HELD;
    }

    /** @return how many held fragments the last {@link #first} released */
    public synchronized int releasedCount() {
        return releasedCount;
    }

    /** Copies released fragment {@code index} into {@code target} at {@code offset}; @return its length */
    public synchronized int copyReleased(int index, byte[] target, int offset) {
        if (index < 0 || index >= releasedCount) {
            throw new IndexOutOfBoundsException("released fragment " + index
                    + " (expected: 0.." + (releasedCount - 1) + ")");
        }
        int slot = released[index];
        System.arraycopy(pool, slot * slotBytes, target, offset, slotLength[slot]);
        return slotLength[slot];
    }

    /** @return the tag released fragment {@code index} was held under */
    public synchronized long releasedTag(int index) {
        if (index < 0 || index >= releasedCount) {
            throw new IndexOutOfBoundsException("released fragment " + index
                    + " (expected: 0.." + (releasedCount - 1) + ")");
        }
        return slotTag[released[index]];
    }

    /**
     * Gives back the held fragments of every datagram whose first fragment did not come in time; their tags are
     * then read with {@link #expiredCount()} and {@link #expiredTag}, until {@link #clearExpired()}.
     */
    public synchronized void expire(long nowNanos) {
        if (sweepDue(nowNanos)) {
            sweep(nowNanos);
        }
    }

    /** @return how many held fragments expired since the last {@link #clearExpired()} */
    public synchronized int expiredCount() {
        return expiredCount;
    }

    /** @return the tag expired fragment {@code index} was held under */
    public synchronized long expiredTag(int index) {
        if (index < 0 || index >= expiredCount) {
            throw new IndexOutOfBoundsException("expired fragment " + index
                    + " (expected: 0.." + (expiredCount - 1) + ")");
        }
        return expired[index];
    }

    /** Forgets the expired fragments' tags, once their owner has let them go. */
    public synchronized void clearExpired() {
        expiredCount = 0;
    }

    /** @return how many fragments are held in the pool now */
    public synchronized int heldCount() {
        int free = 0;
        for (int slot = freeSlots; slot != END; slot = slotNext[slot]) {
            free++;
        }
        return slotLength.length - free - releasedCount;
    }

    /** @return the live entry of {@code key}'s datagram, or -1 */
    private int lookup(PacketKey key, long now) {
        int fid = key.anyFragmentId();
        int start = start(key, fid);
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int entry = (start + probe) & mask;
            if (state[entry] == EMPTY) {
                return -1;
            }
            if (now - expiresAt[entry] < 0 && id[entry] == fid && sourceLow[entry] == key.sourceLow()
                    && destinationLow[entry] == key.destinationLow() && sourceHigh[entry] == key.sourceHigh()
                    && destinationHigh[entry] == key.destinationHigh()) {
                return entry;
            }
        }
        return -1;
    }

    /**
     * Takes the first empty or expired entry on the datagram's probe path (an expired one gives its held
     * fragments back to the pool); entries never become empty again, so probe paths are never cut.
     *
     * @return the entry, its state for the caller to set, or -1 when the path is full of live entries
     */
    private int claim(PacketKey key, long now) {
        int fid = key.anyFragmentId();
        int start = start(key, fid);
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int entry = (start + probe) & mask;
            if (state[entry] == EMPTY || now - expiresAt[entry] >= 0) {
                if (state[entry] == WAITING) {
                    // Its first fragment never came: give the held fragments' slots back.
                    freeHeld(entry);
                }
                sourceHigh[entry] = key.sourceHigh();
                sourceLow[entry] = key.sourceLow();
                destinationHigh[entry] = key.destinationHigh();
                destinationLow[entry] = key.destinationLow();
                id[entry] = fid;
                expiresAt[entry] = now + ttlNanos;
                fwmark[entry] = 0;
                heldHead[entry] = END;
                return entry;
            }
        }
        return -1;
    }

    /** @return whether a sweep is due: at most one per quarter of the TTL, so a flood cannot make every call pay it */
    private boolean sweepDue(long nowNanos) {
        return !swept || nowNanos - lastSweep >= ttlNanos / 4;
    }

    /** Gives back the pool slots of every waiting datagram whose first fragment did not come in time. */
    private void sweep(long nowNanos) {
        swept = true;
        lastSweep = nowNanos;
        for (int entry = 0; entry < state.length; entry++) {
            if (state[entry] == WAITING && nowNanos - expiresAt[entry] >= 0) {
                freeHeld(entry);
            }
        }
    }

    private int start(PacketKey key, int fragmentId) {
        long addresses = key.sourceLow() ^ key.destinationLow() ^ key.sourceHigh() ^ key.destinationHigh();
        long h = (addresses ^ (addresses >>> 29) ^ fragmentId) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void freeReleased() {
        for (int i = 0; i < releasedCount; i++) {
            slotNext[released[i]] = freeSlots;
            freeSlots = released[i];
        }
        releasedCount = 0;
    }

    /** Returns the pool slots held for {@code entry}'s datagram to the free list. */
    private void freeHeld(int entry) {
        int slot = heldHead[entry];
        while (slot != END) {
            int next = slotNext[slot];
            // Bounded by the pool: a slot is held once, and its tag is recorded once until cleared.
            if (expiredCount < expired.length) {
                expired[expiredCount++] = slotTag[slot];
            }
            slotNext[slot] = freeSlots;
            freeSlots = slot;
            slot = next;
        }
        heldHead[entry] = END;
    }
}
