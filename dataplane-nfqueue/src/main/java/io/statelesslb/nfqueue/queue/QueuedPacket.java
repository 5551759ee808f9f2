package io.statelesslb.nfqueue.queue;

/**
 * The packet a queue handed over, as a view of the receive buffer: its id (for the verdict), where its bytes are,
 * and its family. Reused for every packet; valid until the next receive.
 */
public final class QueuedPacket {

    /** {@code NF_INET_LOCAL_OUT}: the hook of packets this host sends. */
    public static final int HOOK_LOCAL_OUT = 3;

    byte[] buffer;
    int id;
    int hook;
    int ingress;
    int offset;
    int length;

    /** @return the id the verdict names */
    public int id() {
        return id;
    }

    /** @return the netfilter hook that queued it ({@link #HOOK_LOCAL_OUT} for what this host sends) */
    public int hook() {
        return hook;
    }

    /** @return the index of the interface it arrived on, 0 when it did not arrive on one */
    public int ingress() {
        return ingress;
    }

    /** @return the buffer holding the packet (from its IP header on) */
    public byte[] buffer() {
        return buffer;
    }

    /** @return where the packet starts in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return the packet's length */
    public int length() {
        return length;
    }

    /** @return whether the packet is IPv6 (by its version nibble) */
    public boolean ipv6() {
        return length > 0 && (buffer[offset] & 0xF0) == 0x60;
    }
}
