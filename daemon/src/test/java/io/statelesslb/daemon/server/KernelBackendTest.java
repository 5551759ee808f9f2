package io.statelesslb.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.daemon.cli.Cli;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slb run --backend kernel} serving a network namespace built like the seed's machine: the daemon reads the
 * interfaces from the kernel, targets registered over the API get their rules and routes, a client's SYN to the VIP
 * is marked and routed, and a restart on the same data directory leaves exactly one of everything. Needs root;
 * elsewhere skipped with the reason.
 */
class KernelBackendTest {

    @TempDir
    Path work;

    private TestNamespace lb;
    private TestNamespace client;

    @BeforeEach
    void buildTheSeedsMachine() {
        lb = TestNamespace.create("slb-dkb");
        client = TestNamespace.create("slb-dcl");
        for (String command : List.of(
                "link add conduit-a--d7c4 type veth peer name t0", "link add conduit-a--f75b type veth peer name t1",
                "link add ext-vlan0 type veth peer name gw",
                "addr add 172.16.0.4/24 dev conduit-a--d7c4", "addr add fd00::4/64 dev conduit-a--d7c4 nodad",
                "addr add 172.16.1.4/24 dev conduit-a--f75b", "addr add fd00:0:0:1::4/64 dev conduit-a--f75b nodad",
                "addr add 169.254.100.1/24 dev ext-vlan0",
                "link set conduit-a--d7c4 up", "link set conduit-a--f75b up", "link set ext-vlan0 up",
                "link set t0 up", "link set t1 up", "link set gw up",
                "link add c0 type veth peer name c1", "addr add 10.9.0.1/24 dev c0", "link set c0 up",
                "link set c1 netns " + client.name())) {
            lb.ip(command.split(" "));
        }
        lb.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        for (String command : List.of("addr add 10.9.0.2/24 dev c1", "link set c1 up",
                "route add 20.0.0.0/24 via 10.9.0.1")) {
            client.ip(command.split(" "));
        }
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (lb != null) {
            lb.close();
        }
    }

    @Test
    void targetsRegisteredOverTheApiAreRoutedByTheKernel() throws Exception {
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG)
                .withBackend("kernel").withKernel(lb.name(), 1);
        try (TestDaemon slb = TestDaemon.start(options)) {
            JsonNode status = slb.get("/v1/status");
            assertThat(status.path("backend").asText()).isEqualTo("kernel");
            assertThat(slb.http("POST", "/v1/events", "{\"type\":\"InterfaceDown\",\"name\":\"t0\"}").statusCode())
                    .as("the kernel backend observes the machine itself").isEqualTo(409);
            register(slb, 44, "172.16.1.6");
            register(slb, 62, "172.16.0.8");
            assertThat(slb.cliJson("targets")).allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("active"));
            assertThat(lb.ip("rule")).contains("from all fwmark 0x13b4 lookup 5044")
                    .contains("from all fwmark 0x13c6 lookup 5062");
            assertThat(lb.ip("route", "show", "table", "5044")).isEqualTo("default via 172.16.1.6 dev conduit-a--f75b\n");
            assertThat(lb.exec("nft", "list", "set", "inet", "meridio-nfqlb", "ipv4-vips"))
                    .contains("elements = { 20.0.0.1 }");

            lb.exec("nft", "add", "table", "inet", "check");
            lb.exec("nft", "add", "chain", "inet", "check", "post", "{ type filter hook postrouting priority 0; }");
            lb.exec("nft", "add", "rule", "inet", "check", "post", "meta", "mark", "!=", "0", "counter");
            client.call(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("20.0.0.1", 4000), 1500);
                } catch (IOException expected) {
                    // No target answers: the SYN only has to get there.
                }
                return null;
            });
            assertThat(lb.exec("nft", "list", "chain", "inet", "check", "post"))
                    .containsPattern("meta mark != 0x00000000 counter packets [1-9]");

            Cli unregister = slb.cli("unregister", "--stream", "stream-a-i", "--id", "62", "--wait");
            assertThat(unregister.exitCode()).as(unregister.err()).isZero();
            assertThat(lb.ip("rule")).doesNotContain("lookup 5062");
        }
        try (TestDaemon restarted = TestDaemon.start(options)) {
            restarted.get("/readyz");
            Cli targets = restarted.cli("targets", "--stream", "stream-a-i", "-o", "json");
            assertThat(TestDaemon.json(targets.out())).hasSize(1);
            restarted.awaitApplied();
            assertThat(lb.ip("rule").lines().filter(rule -> rule.contains("lookup 5044")).count())
                    .as("one rule per target after a restart").isEqualTo(1);
            assertThat(lb.ip("route", "show", "table", "5044")).isEqualTo("default via 172.16.1.6 dev conduit-a--f75b\n");
        }
    }

    private static void register(TestDaemon slb, int identifier, String ip) {
        Cli run = slb.cli("register", "--stream", "stream-a-i", "--id", Integer.toString(identifier), ip, "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("; applied");
    }
}
