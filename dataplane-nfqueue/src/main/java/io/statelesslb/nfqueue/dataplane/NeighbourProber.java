package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.route.Neighbour;
import io.statelesslb.nfqueue.route.Rtnetlink;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the targets, every probe interval and whether traffic flows to them or not, whether they are still there:
 * the kernel sends each a unicast ARP request or neighbour solicitation ({@code nud probe}), or starts resolving one
 * it does not know ({@code use}); how long ago each last answered is then judged by {@link Reachability}. A verdict
 * that changes is told at once, so a dead target leaves the Maglev table within seconds and comes back as soon as it
 * answers, with no packet of its own needed. An entry written to stay ({@code nud permanent}) is taken at its word
 * and never probed: probing would replace it.
 */
final class NeighbourProber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NeighbourProber.class);

    /** A target's address on the conduit interface that reaches it. */
    record Probed(IpAddress address, int interfaceIndex) {
    }

    /** What the prober knows of one target's address. */
    record Heard(Reachability.Verdict verdict, String mac, int interfaceIndex) {
    }

    private final Rtnetlink route;
    private final Reachability reachability;
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile Map<IpAddress, Probed> probed = Map.of();
    private volatile Map<IpAddress, Heard> heard = Map.of();
    private volatile boolean running = true;

    /** @param route an rtnetlink connection of the prober's own */
    NeighbourProber(Rtnetlink route, Reachability.Settings settings) {
        this.route = route;
        this.reachability = new Reachability(settings);
        this.thread = new Thread(this::run, "neighbour-prober");
        thread.setDaemon(true);
        thread.start();
    }

    /** Probes these from now on, and forgets the others. */
    void probe(Map<IpAddress, Probed> addresses) {
        probed = Map.copyOf(addresses);
    }

    /** @return what is known of each probed address */
    Map<IpAddress, Heard> heard() {
        return heard;
    }

    /** Tells {@code changed} whenever a verdict changes. */
    void watch(Runnable changed) {
        watchers.add(changed);
    }

    private void run() {
        long interval = reachability.settings().interval().toNanos();
        long next = System.nanoTime();
        while (running) {
            try {
                check(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.warn("probing the targets failed: {}", e.getMessage());
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // late: start again from now rather than probe in a burst
            } else {
                sleep(wait);
            }
        }
        route.close();
    }

    /** Judges what the last probes heard, then probes again. */
    private void check(long now) {
        Map<IpAddress, Probed> targets = probed;
        reachability.retain(targets.keySet());
        Map<IpAddress, Neighbour> table = new HashMap<>();
        for (Neighbour neighbour : route.neighbours()) {
            Probed target = targets.get(neighbour.address());
            if (target != null && target.interfaceIndex() == neighbour.interfaceIndex()) {
                table.put(neighbour.address(), neighbour);
            }
        }
        Map<IpAddress, Heard> judged = new HashMap<>();
        boolean changed = false;
        for (Probed target : targets.values()) {
            Neighbour entry = table.get(target.address());
            boolean answering = entry != null && !entry.failed() && entry.mac() != null;
            boolean pinned = answering && entry.permanent();
            Reachability.Verdict verdict = reachability.check(target.address(), now,
                    pinned ? Duration.ZERO : answering ? entry.heardAgo() : null);
            Heard before = heard.get(target.address());
            Heard after = new Heard(verdict, answering ? entry.mac() : before != null ? before.mac() : null,
                    target.interfaceIndex());
            judged.put(target.address(), after);
            changed |= before == null ? verdict != Reachability.Verdict.UNKNOWN : !before.equals(after);
            if (!pinned) {
                ask(target, answering ? entry.mac() : null);
            }
        }
        heard = Map.copyOf(judged);
        if (changed) {
            watchers.forEach(Runnable::run);
        }
    }

    /** A known neighbour is asked by unicast; an unknown or failed one is resolved anew. */
    private void ask(Probed target, String mac) {
        try {
            if (mac != null) {
                route.probeNeighbour(target.address().family(), target.interfaceIndex(), target.address(), mac);
            } else {
                route.resolveNeighbour(target.address().family(), target.interfaceIndex(), target.address());
            }
        } catch (NetlinkException e) {
            LOG.debug("probing {}: {}", target.address(), e.getMessage());
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
