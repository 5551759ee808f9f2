package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's notifications of what changed, as {@code ip monitor} and {@code nft monitor} show them: links,
 * addresses, neighbours, rules and routes of both families (rtnetlink's multicast groups), and nf_tables' objects.
 * Changes made through the dataplane's own sockets are known already and not told; any other (an operator's hand,
 * a link going down and the kernel flushing its routes, a neighbour failing) is, on a thread of the watch's own.
 */
final class KernelWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KernelWatch.class);

    /**
     * {@code RTNLGRP_LINK}, {@code _NEIGH}, {@code _IPV4_IFADDR}, {@code _IPV4_ROUTE}, {@code _IPV4_RULE},
     * {@code _IPV6_IFADDR}, {@code _IPV6_ROUTE}, {@code _IPV6_RULE}.
     */
    private static final List<Integer> RTNL_GROUPS = List.of(1, 3, 5, 7, 8, 9, 11, 19);
    /** {@code NFNLGRP_NFTABLES}: every change to nf_tables' tables, chains, rules, sets and elements. */
    private static final int NFNLGRP_NFTABLES = 7;
    /** How long a receive waits before the loop checks whether it should stop. */
    private static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(200);
    private static final int EAGAIN = 11;
    /** ENOBUFS: notifications were lost; what they said is read back anyway, so it is a change like any other. */
    private static final int ENOBUFS = 105;
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads;
    private volatile boolean running = true;

    /**
     * Subscribes, in {@code namespace}, to the notifications of rtnetlink and nf_tables.
     *
     * @param ownRoutePort     the port id of the rtnetlink socket the dataplane changes the kernel through
     * @param ownNetfilterPort that of its nf_tables socket (port ids are per protocol: the two may be equal)
     */
    KernelWatch(Path namespace, int ownRoutePort, int ownNetfilterPort) {
        JnaNetlinkSocket route = JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_ROUTE, RECEIVE_TIMEOUT);
        JnaNetlinkSocket netfilter;
        try {
            netfilter = JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_NETFILTER, RECEIVE_TIMEOUT);
        } catch (RuntimeException e) {
            route.close();
            throw e;
        }
        try {
            RTNL_GROUPS.forEach(route::subscribe);
            netfilter.subscribe(NFNLGRP_NFTABLES);
            route.receiveBuffer(RECEIVE_BUFFER);
            netfilter.receiveBuffer(RECEIVE_BUFFER);
        } catch (RuntimeException e) {
            route.close();
            netfilter.close();
            throw e;
        }
        this.threads = List.of(new Thread(() -> listen(route, ownRoutePort), "kernel-watch-route"),
                new Thread(() -> listen(netfilter, ownNetfilterPort), "kernel-watch-nftables"));
        threads.forEach(thread -> {
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Tells {@code changed} of every change the kernel notifies that the dataplane did not make itself. */
    void watch(Runnable changed) {
        watchers.add(changed);
    }

    private void listen(JnaNetlinkSocket socket, int ownPort) {
        byte[] buffer = new byte[1 << 16];
        while (running) {
            int length;
            try {
                length = socket.receive(buffer);
            } catch (NetlinkException e) {
                if (e.errno() == ENOBUFS) {
                    tell();
                } else if (e.errno() != EAGAIN && running) {
                    LOG.warn("kernel notifications: {}", e.getMessage());
                }
                continue;
            }
            if (fromSomeoneElse(ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.nativeOrder()), length, ownPort)) {
                tell();
            }
        }
        socket.close();
    }

    /** @return whether any message of the datagram tells of a change made through a socket not the dataplane's */
    private static boolean fromSomeoneElse(ByteBuffer datagram, int length, int ownPort) {
        int at = 0;
        while (at + MessageWriter.NLMSG_HDRLEN <= length) {
            int messageLength = datagram.getInt(at);
            if (messageLength < MessageWriter.NLMSG_HDRLEN || at + messageLength > length) {
                return true; // unreadable: what it says is read back anyway
            }
            int portId = datagram.getInt(at + 12);
            if (portId != ownPort) {
                return true;
            }
            at += MessageWriter.align(messageLength);
        }
        return false;
    }

    private void tell() {
        for (Runnable watcher : watchers) {
            try {
                watcher.run();
            } catch (RuntimeException e) {
                LOG.warn("a watcher of kernel changes failed: {}", e.getMessage());
            }
        }
    }

    /** Stops listening; each thread closes its socket within a receive timeout. */
    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
