package io.statelesslb.engine.packet;

/** The return codes of key extraction, as nfqlb's: -1, or flags telling how the key was built. */
public final class KeyResult {

    /** Truncated, corrupt or unsupported (IPv6 extension headers other than Fragment): no key. */
    public static final int REJECTED = -1;
    /** A first fragment: ports present, fragment id remembered. */
    public static final int FIRST_FRAGMENT = 1;
    /** A later fragment: addresses and fragment id only. */
    public static final int LATER_FRAGMENT = 2;
    /** SCTP encapsulated in UDP on the configured port: the inner SCTP ports were used. */
    public static final int UDP_ENCAPSULATED_SCTP = 4;
    /** An ICMP error: the inner packet was used, addresses and ports swapped. */
    public static final int ICMP_INNER_PACKET = 8;
    /** An ICMP echo: the echo id was used. */
    public static final int ICMP_NO_INNER_PACKET = 16;
    /** A protocol without ports: addresses (and protocol) only. */
    public static final int ADDRESSES_ONLY = 32;

    private KeyResult() {
    }
}
