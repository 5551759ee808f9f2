package io.statelesslb.nfqueue.netlink;

/**
 * A netlink socket as the rest of the module sees it: datagrams out, datagrams in. {@link JnaNetlinkSocket} is the
 * kernel's; tests record what would be sent and answer with what the kernel would say.
 */
public interface NetlinkTransport extends AutoCloseable {

    /** Sends one datagram (one or more netlink messages) to the kernel. */
    void send(byte[] datagram);

    /** @return the next datagram from the kernel (blocks until one comes) */
    byte[] receive();

    @Override
    void close();
}
