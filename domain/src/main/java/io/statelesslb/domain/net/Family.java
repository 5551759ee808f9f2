package io.statelesslb.domain.net;

/** An IP address family, with the bit width of its addresses. */
public enum Family {
    IPV4("v4", 32),
    IPV6("v6", 128);

    private final String label;
    private final int bits;

    Family(String label, int bits) {
        this.label = label;
        this.bits = bits;
    }

    /** @return the short label used in the CLI and the seed's outputs: {@code v4} or {@code v6} */
    public String label() {
        return label;
    }

    /** @return the address width in bits: 32 or 128 */
    public int bits() {
        return bits;
    }
}
