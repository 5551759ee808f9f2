package io.statelesslb.domain.model;

/**
 * The L4 header a {@link ByteMatch} reads, with the fixed length a match must stay within (as nfqlb validates).
 */
public enum ByteMatchHeader {
    TCP("tcp", 6, 20),
    UDP("udp", 17, 8),
    SCTP("sctp", 132, 12);

    private final String label;
    private final int protocol;
    private final int length;

    ByteMatchHeader(String label, int protocol, int length) {
        this.label = label;
        this.protocol = protocol;
        this.length = length;
    }

    /** @return the name used in match expressions, such as {@code tcp} */
    public String label() {
        return label;
    }

    /** @return the IP protocol number of packets this header belongs to */
    public int protocol() {
        return protocol;
    }

    /** @return the fixed header length a match's offset + width may not exceed */
    public int length() {
        return length;
    }
}
