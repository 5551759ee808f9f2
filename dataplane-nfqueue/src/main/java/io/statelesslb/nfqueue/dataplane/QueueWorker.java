package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.engine.EngineConfig;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.PacketCounts;
import io.statelesslb.engine.PacketDecision;
import io.statelesslb.engine.TraceTap;
import io.statelesslb.engine.Verdict;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.engine.packet.PacketKey;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.queue.NfQueue;
import io.statelesslb.nfqueue.queue.QueuedPacket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NFQUEUE queue's thread: each packet is decided by the engine and let go with its fwmark, or dropped. Its own
 * engine instance (the fragment table is per thread); the configuration is shared and switched atomically. A worker
 * starts reading only once it has the configuration of an apply: until then (a restart recovering its log, an apply
 * that binds a new queue) packets wait in the kernel's queue, up to its length, instead of being decided without
 * their flows.
 */
final class QueueWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);
    /** How long a receive waits before the loop checks whether it should stop: bounds how long closing takes. */
    static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(200);
    /** errno of a receive that timed out: the loop checks whether it should stop, and goes on. */
    private static final int EAGAIN = 11;

    private final NfQueue queue;
    private final LoadBalancer engine;
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    private final QueuedPacket packet = new QueuedPacket();
    private final AtomicLong packets = new AtomicLong();
    private final CountDownLatch configured = new CountDownLatch(1);
    private EngineConfig config;
    private volatile boolean running = true;

    QueueWorker(NfQueue queue, EngineConfig config) {
        this.queue = queue;
        this.config = config;
        this.engine = new LoadBalancer(config);
    }

    /** Switches to {@code config} (the same one again changes nothing); the first call lets the worker read. */
    void configure(EngineConfig config) {
        if (config != this.config) {
            this.config = config;
            engine.configure(config);
        }
        configured.countDown();
    }

    @Override
    public void run() {
        try {
            while (running && !configured.await(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                // Packets wait in the queue until the first configuration comes, or the worker is stopped.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        while (running) {
            try {
                if (!queue.next(packet)) {
                    continue;
                }
                // What queued up meanwhile is decided too, then every verdict goes in one datagram: a lone packet
                // waits for nothing, a burst costs one send per batch instead of one per packet.
                int batch = 0;
                do {
                    decide();
                    batch++;
                } while (batch < NfQueue.BATCH && queue.poll(packet));
                dropExpired();
                queue.flush();
                // This thread is the only writer: an ordered store, not a locked increment.
                packets.lazySet(packets.get() + batch);
            } catch (NetlinkException e) {
                if (e.errno() == EAGAIN) {
                    idle();
                } else if (running) {
                    LOG.warn("queue {}: {}", queue.queue(), e.getMessage());
                }
            }
        }
        queue.close();
    }

    /** No packet came within the receive timeout: held fragments may have expired meanwhile. */
    private void idle() {
        try {
            dropExpired();
            queue.flush();
        } catch (NetlinkException e) {
            if (running) {
                LOG.warn("queue {}: {}", queue.queue(), e.getMessage());
            }
        }
    }

    /** Decides the packet in hand and adds its verdict to the batch. */
    private void decide() {
        int ingress = packet.hook() == QueuedPacket.HOOK_LOCAL_OUT ? TraceTap.LOCAL : packet.ingress();
        engine.decide(packet.buffer(), packet.offset(), packet.length(), packet.ipv6(), ingress,
                Integer.toUnsignedLong(packet.id()), key, decision);
        if (decision.verdict() == Verdict.MARK) {
            queue.accept(packet.id(), decision.fwmark());
        } else if (decision.verdict() == Verdict.DROP) {
            queue.drop(packet.id());
        }
        // HELD: a later fragment that came before its first. The kernel keeps it queued, without a verdict, until
        // the first fragment's decision releases it (below) or it expires (looked at after each batch, and every
        // receive timeout while the queue is idle).
        for (int i = 0; i < decision.releasedFragments(); i++) {
            int held = (int) engine.fragments().releasedTag(i);
            if (decision.verdict() == Verdict.MARK) {
                queue.accept(held, decision.fwmark());
            } else {
                queue.drop(held);
            }
        }
    }

    /**
     * Drops the held fragments whose first fragment did not come in time (the kernel still queues them): once per
     * batch, not per packet, as it takes the fragment table's lock.
     */
    private void dropExpired() {
        FragmentTable fragments = engine.fragments();
        if (fragments.expiredCount() == 0) {
            fragments.expire(engine.nanoTime());
        }
        for (int i = 0; i < fragments.expiredCount(); i++) {
            queue.drop((int) fragments.expiredTag(i));
        }
        fragments.clearExpired();
    }

    /** @return the packets this worker has given a verdict */
    long packets() {
        return packets.get();
    }

    /** @return the engine deciding this queue's packets */
    LoadBalancer engine() {
        return engine;
    }

    /** @return what this worker's engine decided, counted on its thread */
    PacketCounts counts() {
        return engine.counts();
    }

    /** Stops after the current receive (at most {@link #RECEIVE_TIMEOUT}). */
    void stop() {
        running = false;
    }
}
