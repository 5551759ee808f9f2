package io.statelesslb.engine;

import io.statelesslb.engine.flow.FlowRule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where one engine copies the packets it decides while an operator follows them live ({@code slb trace --follow}):
 * a ring of fixed slots that the packet thread fills without allocating, locking or waiting, and that one reader
 * drains. Only the packets of the flow asked for are copied, and at most {@code perSecond} of them (with a burst of
 * one second's worth); when the reader falls behind and the ring is full, a packet is not copied and is counted as
 * missed. An engine without a tap pays one field read per packet; with one, a packet of another flow costs a name
 * comparison, and the rate is checked against the time the reader last drained at (it drains every few
 * milliseconds), so that the packet path reads the clock only for the packets it copies.
 */
public final class TraceTap {

    /** Bytes kept of each packet: the IP header, IPv6 extension headers and the transport header fit. */
    public static final int SNAP_LENGTH = 128;
    /** The ingress of a packet the load balancer's own host sent (the output hook). */
    public static final int LOCAL = -1;
    /** The ingress of a packet whose arrival interface is not known. */
    public static final int UNKNOWN = 0;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final DecisionReason[] REASONS = DecisionReason.values();
    private static final long SECOND = 1_000_000_000L;

    private final String flow;
    private final long spacingNanos;
    private final long burstNanos;
    private final int mask;

    // One slot per index, in parallel arrays: written by the packet thread before it publishes the slot.
    private final byte[] bytes;
    private final int[] lengths;
    private final boolean[] ipv6;
    private final int[] ingress;
    private final long[] nanos;
    private final FlowRule[] flows;
    private final int[] hashes;
    private final int[] slots;
    private final int[] fwmarks;
    private final byte[] verdicts;
    private final byte[] reasons;
    private final int[] keyResults;

    /**
     * [0]: slots published (the packet thread's), [1]: slots read (the reader's), [2]: packets missed (the packet
     * thread's), [3]: the time of the reader's last drain (the reader's).
     */
    private final long[] positions = new long[4];
    /** The rate bound's theoretical arrival time (GCRA), the packet thread's only. */
    private long due = Long.MIN_VALUE;

    /**
     * @param flow      the flow whose packets are copied, or null for every packet (those of no flow included)
     * @param perSecond at most this many packets copied per second, at least 1
     * @param capacity  slots in the ring, rounded up to a power of two
     * @param now       the engine's clock now, in nanoseconds
     */
    public TraceTap(String flow, int perSecond, int capacity, long now) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("rate " + perSecond + " (expected: at least 1 packet per second)");
        }
        this.flow = flow;
        this.spacingNanos = SECOND / perSecond;
        this.burstNanos = SECOND - spacingNanos;
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.mask = size - 1;
        this.bytes = new byte[size * SNAP_LENGTH];
        this.lengths = new int[size];
        this.ipv6 = new boolean[size];
        this.ingress = new int[size];
        this.nanos = new long[size];
        this.flows = new FlowRule[size];
        this.hashes = new int[size];
        this.slots = new int[size];
        this.fwmarks = new int[size];
        this.verdicts = new byte[size];
        this.reasons = new byte[size];
        this.keyResults = new int[size];
        positions[3] = now;
    }

    /** @return the flow whose packets are copied, or null for every packet */
    public String flow() {
        return flow;
    }

    /**
     * Copies one decided packet if it is of the flow asked for, the rate allows and the ring has room. The packet
     * thread's only; never allocates.
     *
     * @param matched the flow the packet matched, or null
     * @param ingress the interface index it arrived on, {@link #LOCAL} or {@link #UNKNOWN}
     * @param clock   the engine's clock, in nanoseconds, read only for a packet that is copied
     */
    public void offer(byte[] packet, int offset, int length, boolean v6, int ingress, PacketDecision decision,
                      FlowRule matched, LongSupplier clock) {
        if (flow != null && (matched == null || !flow.equals(matched.name()))) {
            return;
        }
        long now = (long) LONGS.getOpaque(positions, 3);
        // GCRA: a packet conforms if it is no earlier than its due time less the burst tolerance.
        long start = Math.max(due, now);
        if (due != Long.MIN_VALUE && now < due - burstNanos) {
            return;
        }
        long published = (long) LONGS.getOpaque(positions, 0);
        if (published - (long) LONGS.getAcquire(positions, 1) > mask) {
            LONGS.setOpaque(positions, 2, (long) LONGS.getOpaque(positions, 2) + 1);
            return;
        }
        due = start + spacingNanos;
        int slot = (int) (published & mask);
        int kept = Math.max(0, Math.min(length, SNAP_LENGTH));
        System.arraycopy(packet, offset, bytes, slot * SNAP_LENGTH, kept);
        lengths[slot] = length;
        ipv6[slot] = v6;
        this.ingress[slot] = ingress;
        nanos[slot] = clock.getAsLong();
        flows[slot] = matched;
        hashes[slot] = decision.hash();
        slots[slot] = decision.slot();
        fwmarks[slot] = decision.fwmark();
        verdicts[slot] = (byte) decision.verdict().ordinal();
        reasons[slot] = (byte) decision.reason().ordinal();
        keyResults[slot] = decision.keyResult();
        // The release store publishes the slot's fields with it.
        LONGS.setRelease(positions, 0, published + 1);
    }

    /**
     * Hands every packet copied since the last drain to {@code sink}, oldest first. The reader's only; allocates
     * one record per packet.
     *
     * @param now the engine's clock now, in nanoseconds: the rate is checked against it until the next drain
     * @return how many were handed over
     */
    public int drain(long now, Consumer<TappedPacket> sink) {
        LONGS.setOpaque(positions, 3, now);
        long read = (long) LONGS.getOpaque(positions, 1);
        long published = (long) LONGS.getAcquire(positions, 0);
        int handed = 0;
        for (; read < published; read++) {
            int slot = (int) (read & mask);
            FlowRule matched = flows[slot];
            int kept = Math.min(lengths[slot], SNAP_LENGTH);
            byte[] header = Arrays.copyOfRange(bytes, slot * SNAP_LENGTH, slot * SNAP_LENGTH + kept);
            TappedPacket tapped = new TappedPacket(nanos[slot], ingress[slot], header, lengths[slot], ipv6[slot],
                    matched == null ? null : matched.name(), matched == null ? null : matched.stream(),
                    hashes[slot], slots[slot], fwmarks[slot], VERDICTS[verdicts[slot]], REASONS[reasons[slot]],
                    keyResults[slot]);
            flows[slot] = null;
            // The slot is free again once the read position passes it.
            LONGS.setRelease(positions, 1, read + 1);
            sink.accept(tapped);
            handed++;
        }
        return handed;
    }

    /** @return packets the tap wanted but could not copy because the reader had not drained the ring */
    public long missed() {
        return (long) LONGS.getOpaque(positions, 2);
    }
}
