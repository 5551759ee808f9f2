package io.statelesslb.engine;

/** What to do with a packet, as an NFQUEUE verdict. */
public enum Verdict {
    /** Accept it with {@link PacketDecision#fwmark()} set: policy routing takes it to its target. */
    MARK,
    /** Drop it: no flow, no target, or a packet that cannot be parsed (unless a reject fwmark is configured). */
    DROP,
    /**
     * Drop the original: the engine keeps a copy of this later fragment and hands it back, marked, when its first
     * fragment arrives ({@link io.statelesslb.engine.fragment.FragmentTable}).
     */
    HELD
}
