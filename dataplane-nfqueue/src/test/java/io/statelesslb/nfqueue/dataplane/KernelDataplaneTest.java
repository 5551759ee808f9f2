package io.statelesslb.nfqueue.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.dataplane.ApplyResult;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import io.statelesslb.sim.LinuxRendering;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's trench on a real kernel: its interfaces built in a network namespace, its plan applied, and what
 * {@code ip} reads back compared with what the simulator renders for the same plan; then a client's TCP SYN to the
 * VIP is queued, marked by the engine, and routed to its target. Needs root; elsewhere skipped with the reason.
 */
class KernelDataplaneTest {

    private TestNamespace lb;
    private TestNamespace client;
    private KernelDataplane dataplane;

    @BeforeEach
    void buildTheSeedsMachine() {
        lb = TestNamespace.create("slb-kdp");
        client = TestNamespace.create("slb-cli");
        for (String command : List.of(
                "link add conduit-a--d7c4 type veth peer name t0", "link add conduit-a--f75b type veth peer name t1",
                "link add ext-vlan0 type veth peer name gw",
                "addr add 172.16.0.4/24 dev conduit-a--d7c4", "addr add fd00::4/64 dev conduit-a--d7c4 nodad",
                "addr add 172.16.1.4/24 dev conduit-a--f75b", "addr add fd00:0:0:1::4/64 dev conduit-a--f75b nodad",
                "addr add 169.254.100.1/24 dev ext-vlan0", "addr add 100:100::1/64 dev ext-vlan0 nodad",
                "link set conduit-a--d7c4 up", "link set conduit-a--f75b up", "link set ext-vlan0 up",
                "link set t0 up", "link set t1 up", "link set gw up",
                // The client's side: a veth into the client's namespace.
                "link add c0 type veth peer name c1", "addr add 10.9.0.1/24 dev c0", "link set c0 up",
                "link set c1 netns " + client.name())) {
            lb.ip(command.split(" "));
        }
        lb.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        for (String command : List.of("addr add 10.9.0.2/24 dev c1", "link set c1 up",
                "route add 20.0.0.0/24 via 10.9.0.1")) {
            client.ip(command.split(" "));
        }
        dataplane = KernelDataplane.open(Path.of("/run/netns", lb.name()), 1);
    }

    @AfterEach
    void tearDown() {
        if (dataplane != null) {
            dataplane.close();
        }
        if (client != null) {
            client.close();
        }
        if (lb != null) {
            lb.close();
        }
    }

    @Test
    void theSeedsPlanReadsBackFromTheKernelAsTheSimulatorRendersIt() {
        DataplaneSpec plan = Planner.plan(Scenarios.fold(Scenarios.seed()));
        assertThat(dataplane.apply(Diff.diff(dataplane.applied(), plan))).isInstanceOf(ApplyResult.Applied.class);
        assertThat(dataplane.applied()).isEqualTo(plan);
        assertThat(ours(lb.ip("rule"))).isEqualTo(stripped(LinuxRendering.ipRules(plan, Family.IPV4)));
        assertThat(ours(lb.ip("-6", "rule"))).isEqualTo(stripped(LinuxRendering.ipRules(plan, Family.IPV6)));
        for (int table : LinuxRendering.tables(plan, Family.IPV4).stream().filter(t -> t != 4096).toList()) {
            assertThat(lb.ip("route", "show", "table", Integer.toString(table))).as("table %d", table)
                    .isEqualTo(stripped(LinuxRendering.ipRoutes(plan, Family.IPV4, table)));
        }
        // In the seed, BIRD put the gateways' route there (proto bird); here the dataplane does, as a static route.
        assertThat(lb.ip("route", "show", "table", "4096")).isEqualTo("default via 169.254.100.150 dev ext-vlan0\n");
        assertThat(lb.exec("nft", "list", "table", "inet", "meridio-defrag"))
                .contains("iifname \"conduit-a-*\" notrack");
        assertThat(lb.exec("nft", "list", "set", "inet", "meridio-nfqlb", "ipv4-vips"))
                .contains("elements = { 20.0.0.1 }");

        State without44 = Scenarios.fold(Scenarios.seed()).apply(new TargetUnregistered("stream-a-i", 44));
        DataplaneSpec smaller = Planner.plan(without44);
        assertThat(dataplane.apply(Diff.diff(dataplane.applied(), smaller))).isInstanceOf(ApplyResult.Applied.class);
        assertThat(lb.ip("rule")).doesNotContain("lookup 5044");
        assertThat(lb.ip("route", "show", "table", "5044")).isBlank();
    }

    @Test
    void aClientsSynIsQueuedMarkedByTheEngineAndRoutedToItsTarget() throws Exception {
        DataplaneSpec plan = Planner.plan(Scenarios.fold(Scenarios.seed()));
        assertThat(dataplane.apply(Diff.diff(dataplane.applied(), plan))).isInstanceOf(ApplyResult.Applied.class);
        // What leaves towards a target is counted there, by the fwmark the engine set.
        lb.exec("nft", "add", "table", "inet", "check");
        lb.exec("nft", "add", "chain", "inet", "check", "post", "{ type filter hook postrouting priority 0; }");
        lb.exec("nft", "add", "rule", "inet", "check", "post", "meta", "mark", "!=", "0", "counter", "meta", "mark",
                "0x13b4", "oifname", "conduit-a--f75b", "counter");
        client.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("20.0.0.1", 4000), 1500);
            } catch (java.io.IOException expected) {
                // No target answers: the SYN only has to get there.
            }
            return null;
        });
        assertThat(dataplane.packets()).as("packets the engine decided").isPositive();
        String counted = lb.exec("nft", "list", "chain", "inet", "check", "post");
        assertThat(counted).containsPattern("meta mark != 0x00000000 counter packets [1-9]");
    }

    /** @return the rules without the kernel's own (local, main, default); ip separates with a tab, the seed a space */
    private static String ours(String rules) {
        return stripped(rules.lines().filter(rule -> !rule.matches("(0|32766|32767):.*"))
                .map(rule -> rule.replace(":\t", ": ")).reduce("", (a, b) -> a + b + "\n"));
    }

    private static String stripped(String text) {
        return text.lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }
}
