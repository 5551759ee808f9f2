package io.statelesslb.engine;

/**
 * The decision for one packet: verdict, fwmark, and how it was reached. Mutable and reused: one instance per
 * packet thread, refilled by {@link LoadBalancer#decide} for every packet, so deciding allocates nothing.
 */
public final class PacketDecision {

    // Stored as ordinals, not references: a reference store into this long-lived object pays a GC write
    // barrier on every packet.
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final DecisionReason[] REASONS = DecisionReason.values();

    byte verdict;
    byte reason;
    int fwmark;
    int flow = -1;
    int slot = -1;
    int hash;
    int keyResult;
    int releasedFragments;

    /** @return accept with a mark, or drop */
    public Verdict verdict() {
        return VERDICTS[verdict];
    }

    /** @return why */
    public DecisionReason reason() {
        return REASONS[reason];
    }

    void set(Verdict verdict, DecisionReason reason) {
        this.verdict = (byte) verdict.ordinal();
        this.reason = (byte) reason.ordinal();
    }

    /** @return the fwmark to set (0 with a drop) */
    public int fwmark() {
        return fwmark;
    }

    /** @return the index of the matched flow in the configuration, or -1 */
    public int flow() {
        return flow;
    }

    /** @return the Maglev slot chosen, or -1 */
    public int slot() {
        return slot;
    }

    /** @return the key hash used (unsigned 32-bit in an int) */
    public int hash() {
        return hash;
    }

    /** @return the key extraction's return code ({@link io.statelesslb.engine.packet.KeyResult}) */
    public int keyResult() {
        return keyResult;
    }

    /** @return held fragments released by this first fragment: read them from the engine's fragment table */
    public int releasedFragments() {
        return releasedFragments;
    }

    void reset() {
        verdict = (byte) Verdict.DROP.ordinal();
        reason = (byte) DecisionReason.UNPARSEABLE.ordinal();
        fwmark = 0;
        flow = -1;
        slot = -1;
        hash = 0;
        keyResult = 0;
        releasedFragments = 0;
    }
}
