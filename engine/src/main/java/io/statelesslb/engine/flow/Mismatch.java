package io.statelesslb.engine.flow;

/** The first criterion of a flow that a packet fails, for traces. */
public enum Mismatch {
    NONE("matches"),
    DESTINATION("destination address not in the flow's VIPs"),
    SOURCE("source address not in the flow's source subnets"),
    PROTOCOL("protocol not among the flow's protocols"),
    DESTINATION_PORT("destination port not in the flow's ranges"),
    SOURCE_PORT("source port not in the flow's ranges"),
    BYTE_MATCH("a byte match does not hold (or the L4 header is too short to test it)");

    private final String explanation;

    Mismatch(String explanation) {
        this.explanation = explanation;
    }

    /** @return why, in words */
    public String explanation() {
        return explanation;
    }
}
