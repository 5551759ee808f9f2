package io.statelesslb.domain.net;

import io.vavr.control.Either;

/** An L4 protocol a flow can match, with its IP protocol number. */
public enum Protocol {
    TCP("tcp", 6),
    UDP("udp", 17),
    SCTP("sctp", 132);

    private final String label;
    private final int number;

    Protocol(String label, int number) {
        this.label = label;
        this.number = number;
    }

    /**
     * @param text to parse: {@code tcp}, {@code udp} or {@code sctp}, in any case
     * @return the protocol, or the reason the name is unknown
     */
    public static Either<String, Protocol> parse(String text) {
        for (Protocol protocol : values()) {
            if (protocol.label.equalsIgnoreCase(text)) {
                return Either.right(protocol);
            }
        }
        return Either.left("protocol=" + text + " (expected: tcp, udp or sctp)");
    }

    /** @return the lower-case name nft and nfqlb use */
    public String label() {
        return label;
    }

    /** @return the IP protocol number (IPv4 protocol, IPv6 next header) */
    public int number() {
        return number;
    }
}
