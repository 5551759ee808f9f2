package io.statelesslb.domain.model;

/** The header a {@link ByteMatch} offset counts from. */
public enum ByteMatchHeader {
    IP("ip"),
    IP6("ip6"),
    TCP("tcp"),
    UDP("udp"),
    SCTP("sctp"),
    ICMP("icmp"),
    ICMP6("icmp6");

    private final String label;

    ByteMatchHeader(String label) {
        this.label = label;
    }

    /** @return the name used in match expressions, such as {@code tcp} */
    public String label() {
        return label;
    }
}
