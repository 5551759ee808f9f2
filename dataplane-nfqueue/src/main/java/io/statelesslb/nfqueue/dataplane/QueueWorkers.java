package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.live.LiveTracing;
import io.statelesslb.domain.plan.EngineOptions;
import io.statelesslb.domain.plan.Queueing;
import io.statelesslb.engine.EngineConfig;
import io.statelesslb.engine.PacketCounts;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.queue.NfQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NFQUEUE queues this process listens on, a worker thread each, following the queueing the tables name: bound
 * before the rules that queue to them are written (so no packet waits on a queue no one reads), unbound once no
 * rule does, and bound again when their length or fail-open setting changes. Binding a queue another process holds
 * is refused by the kernel, with its words.
 */
final class QueueWorkers implements AutoCloseable {

    private final Path namespace;
    private final Map<Integer, QueueWorker> workers = new TreeMap<>();
    private final Map<Integer, Thread> threads = new TreeMap<>();
    /** The counts of workers stopped, so that what was counted is never taken back. */
    private final List<PacketCounts> retired = new ArrayList<>();
    private final LiveTracing tracing;
    private volatile EngineConfig config;
    private EngineOptions options = EngineOptions.DEFAULTS;

    /**
     * @param namespace a network namespace file ({@code /run/netns/NAME}), or null for this process's own
     * @param tracing   where each worker's engine is registered, to be tapped while someone follows packets live
     */
    QueueWorkers(Path namespace, EngineConfig config, LiveTracing tracing) {
        this.namespace = namespace;
        this.config = config;
        this.tracing = tracing;
    }

    /**
     * Listens on exactly the queues of {@code queueing} (none when it is empty): binds those not yet bound, stops
     * the others.
     *
     * @throws NetlinkException when a queue cannot be bound (another process holds it); those bound before stay
     */
    synchronized void follow(io.vavr.control.Option<Queueing> queueing) {
        for (Integer queue : workers.keySet().toArray(Integer[]::new)) {
            if (queueing.isEmpty() || queue < queueing.get().first() || queue > queueing.get().last()) {
                stop(queue);
            }
        }
        if (queueing.isEmpty()) {
            return;
        }
        for (int queue = queueing.get().first(); queue <= queueing.get().last(); queue++) {
            if (!workers.containsKey(queue)) {
                bind(queue);
            }
        }
    }

    /**
     * Reads the queues as {@code options} say: the queues bound already are bound again when their length or
     * fail-open setting changes (for the moment between, the kernel drops their packets, or lets them by with bypass).
     */
    synchronized void configure(EngineOptions options) {
        boolean rebind = options.queueLength() != this.options.queueLength()
                || options.failOpen() != this.options.failOpen();
        this.options = options;
        if (rebind) {
            for (Integer queue : workers.keySet().toArray(Integer[]::new)) {
                stop(queue);
                bind(queue);
            }
        }
    }

    private void bind(int queue) {
        JnaNetlinkSocket socket = JnaNetlinkSocket.openIn(namespace, Netlink.NETLINK_NETFILTER,
                QueueWorker.RECEIVE_TIMEOUT);
        NfQueue bound;
        try {
            bound = NfQueue.bind(socket, queue, options.queueLength(), options.failOpen());
        } catch (RuntimeException e) {
            socket.close();
            throw e instanceof NetlinkException refused
                    ? new NetlinkException(refused.errno(), "queue " + queue + " cannot be bound (another process"
                            + " listens on it?): " + refused.getMessage())
                    : e;
        }
        QueueWorker worker = new QueueWorker(bound, config);
        Thread thread = new Thread(worker, "nfqueue-" + queue);
        thread.setDaemon(true);
        workers.put(queue, worker);
        threads.put(queue, thread);
        tracing.register(worker.engine(), queue);
        thread.start();
    }

    private void stop(int queue) {
        QueueWorker worker = workers.remove(queue);
        tracing.unregister(worker.engine());
        worker.stop();
        join(threads.remove(queue));
        retired.add(worker.counts());
    }

    /**
     * Switches every worker to {@code config} (the dataplane calls it at the end of every apply); a worker bound since
     * the last call starts reading now. Workers bound later start with it, and read once the next call comes.
     */
    synchronized void configure(EngineConfig config) {
        this.config = config;
        workers.values().forEach(worker -> worker.configure(config));
    }

    /** @return the queues listened on */
    synchronized java.util.Set<Integer> queues() {
        return java.util.Set.copyOf(workers.keySet());
    }

    /** @return what every worker, running or stopped, has counted */
    synchronized List<PacketCounts> counts() {
        List<PacketCounts> counts = new ArrayList<>(retired);
        workers.values().forEach(worker -> counts.add(worker.counts()));
        return counts;
    }

    /** Stops every worker; each closes its queue within a receive timeout. */
    @Override
    public synchronized void close() {
        workers.values().forEach(worker -> {
            tracing.unregister(worker.engine());
            worker.stop();
        });
        threads.values().forEach(QueueWorkers::join);
        workers.clear();
        threads.clear();
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
