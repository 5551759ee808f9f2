package io.statelesslb.nfqueue.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A target is probed whether traffic flows to it or not: one that stops answering ARP and neighbour solicitations
 * is reported failed within 3 s, and reachable again within 3 s of answering, with not one packet sent to it. The
 * target is a namespace of its own behind the seed's conduit interface; it stops answering by dropping ARP and
 * ICMPv6 in its input. Needs root; elsewhere skipped with the reason.
 */
class NeighbourProbingKernelTest {

    private static final IpAddress TARGET = IpAddress.parse("172.16.0.6").get();
    private static final IpAddress TARGET6 = IpAddress.parse("fd00::6").get();
    private static final Duration BOUND = Duration.ofSeconds(3);

    private TestNamespace lb;
    private TestNamespace target;
    private KernelDataplane dataplane;
    private State state;

    @BeforeEach
    void buildALoadBalancerAndATarget() {
        HostTools.require("nft");
        lb = TestNamespace.create("slb-prb-lb");
        target = TestNamespace.create("slb-prb-t");
        lb.ip("link", "add", "conduit-a--d7c4", "type", "veth", "peer", "name", "eth0", "netns", target.name());
        for (String command : List.of("addr add 172.16.0.4/24 dev conduit-a--d7c4",
                "addr add fd00::4/64 dev conduit-a--d7c4 nodad", "link set conduit-a--d7c4 up")) {
            lb.ip(command.split(" "));
        }
        for (String command : List.of("addr add 172.16.0.6/24 dev eth0", "addr add fd00::6/64 dev eth0 nodad",
                "link set eth0 up", "link set lo up")) {
            target.ip(command.split(" "));
        }
        dataplane = KernelDataplane.open(Path.of("/run/netns", lb.name()), Reachability.Settings.DEFAULTS,
                new StandInBird(lb));
        state = Scenarios.fold(Scenarios.seed());
    }

    @AfterEach
    void tearDown() {
        if (dataplane != null) {
            dataplane.close();
        }
        if (target != null) {
            target.close();
        }
        if (lb != null) {
            lb.close();
        }
    }

    @Test
    void aTargetThatStopsAnsweringIsFailedWithinSecondsAndBackWithinSecondsWithNoTrafficToIt() {
        // The first resolution waits for the new interfaces' IPv6 to settle: it is not held to the bound.
        Duration up = observeUntil(NeighbourState.REACHABLE);
        assertThat(up).as("first heard").isLessThan(BOUND.multipliedBy(2));

        target.exec("nft", "add", "table", "netdev", "mute");
        target.exec("nft", "add", "chain", "netdev", "mute", "in",
                "{ type filter hook ingress device eth0 priority 0; policy accept; }");
        target.exec("nft", "add", "rule", "netdev", "mute", "in", "meta", "protocol", "arp", "drop");
        target.exec("nft", "add", "rule", "netdev", "mute", "in", "icmpv6", "type",
                "{ nd-neighbor-solicit }", "drop");
        Duration lost = observeUntil(NeighbourState.FAILED);
        assertThat(lost).as("reported failed").isLessThan(BOUND);

        target.exec("nft", "delete", "table", "netdev", "mute");
        Duration back = observeUntil(NeighbourState.REACHABLE);
        assertThat(back).as("reported reachable again").isLessThan(BOUND);
        System.out.printf("probing: heard in %d ms, failed in %d ms, back in %d ms%n", up.toMillis(), lost.toMillis(),
                back.toMillis());
    }

    /** Observes every 50 ms, as a kernel notification would have the controller do, until both addresses agree. */
    private Duration observeUntil(NeighbourState wanted) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < BOUND.multipliedBy(3).toNanos()) {
            List<ObservationCommand> reports = dataplane.observe(state);
            state = Scenarios.after(state, reports.toArray(ObservationCommand[]::new));
            if (state.neighbours().get(TARGET).exists(n -> n.state() == wanted)
                    && state.neighbours().get(TARGET6).exists(n -> n.state() == wanted)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return BOUND.multipliedBy(3);
    }
}
