package io.statelesslb.engine;

/** Why a packet got its verdict; the trace and the counters use it. */
public enum DecisionReason {
    /** A flow matched and its stream's Maglev table chose a target. */
    LOAD_BALANCED,
    /** A later fragment followed the decision stored for its first fragment. */
    FRAGMENT_FOLLOWED,
    /** No flow matched: the "no LB" fwmark, or drop. */
    NO_FLOW,
    /** A flow matched but its stream has no active target: the "no targets" fwmark, or drop. */
    NO_TARGETS,
    /** The packet is truncated, corrupt or unsupported: no key could be built. */
    UNPARSEABLE,
    /** A later fragment whose first fragment has not been seen and that could not be held. */
    FRAGMENT_UNKNOWN,
    /** A later fragment kept until its first fragment arrives. */
    FRAGMENT_HELD,
    /** A fragment whose datagram another load-balancer instance owns (by address hash): sent there. */
    FORWARDED_TO_OWNER
}
