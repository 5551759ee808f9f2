package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.nfqueue.dataplane.SeedMachine;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private SeedMachine machine;
    private TestNamespace lb;

    @BeforeEach
    void buildTheSeedsMachine() {
        machine = SeedMachine.build("slb-dkb");
        lb = machine.lb();
        // Nothing answers ARP behind the veths: without these entries the targets' neighbour entries would fail
        // a few seconds into the test, and the targets would (rightly) lose their paths.
        lb.ip("neigh", "replace", "172.16.1.6", "dev", "conduit-a--f75b", "lladdr", "02:fe:c2:14:ec:dd", "nud",
                "permanent");
        lb.ip("neigh", "replace", "172.16.0.8", "dev", "conduit-a--d7c4", "lladdr", "02:fe:72:70:fd:55", "nud",
                "permanent");
    }

    @AfterEach
    void tearDown() {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void targetsRegisteredOverTheApiAreRoutedByTheKernel() throws Exception {
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG)
                .withBackend("kernel").withKernel(lb.name());
        try (TestDaemon slb = TestDaemon.start(options)) {
            JsonNode status = slb.get("/v1/status");
            assertThat(status.path("backend").asText()).isEqualTo("kernel");
            assertThat(slb.http("POST", "/v1/events", "{\"type\":\"InterfaceDown\",\"name\":\"t0\"}").statusCode())
                    .as("the kernel backend observes the machine itself").isEqualTo(409);
            register(slb, 44, "172.16.1.6");
            register(slb, 62, "172.16.0.8");
            assertThat(Cli.json(slb, "targets"))
                    .allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("active"));
            assertThat(lb.ip("rule")).contains("from all fwmark 0x13b4 lookup 5044")
                    .contains("from all fwmark 0x13c6 lookup 5062");
            assertThat(lb.ip("route", "show", "table", "5044"))
                    .isEqualTo("default via 172.16.1.6 dev conduit-a--f75b proto 115\n");
            assertThat(lb.exec("nft", "list", "set", "inet", "meridio-nfqlb", "ipv4-vips"))
                    .contains("elements = { 20.0.0.1 }");

            machine.countMarkedPackets();
            machine.clientConnects("20.0.0.1", 4000);
            assertThat(machine.markedPackets()).containsPattern("meta mark != 0x00000000 counter packets [1-9]");
            String metrics = slb.http("GET", "/metrics", null).body();
            assertThat(metrics).containsPattern("slb_nfqueue_verdicts_total [1-9]")
                    .containsPattern("slb_packets_total\\{reason=\"load_balanced\"} [1-9]")
                    .containsPattern("slb_target_packets_total\\{stream=\"stream-a-i\",target=\"(44|62)\"} [1-9]");
            assertThat(Cli.on(slb, "flow-list").out()).containsPattern("\"matches_count\": [1-9]");
            assertThat(Cli.on(slb, "dataplane").out()).as("the kernel's counters")
                    .containsPattern("ip daddr @ipv4-vips counter packets [1-9]\\d* bytes [1-9]");

            // A live trace shows a real packet with the queue and the interface it really came by.
            CompletableFuture<Cli> follower = CompletableFuture.supplyAsync(() -> Cli.on(slb, "trace", "--follow",
                    "--flow", "flow-a-z-tcp", "--count", "1", "-o", "json"));
            for (int attempt = 0; attempt < 8 && !follower.isDone(); attempt++) {
                machine.clientConnects("20.0.0.1", 4000);
            }
            Cli followed = follower.get(10, TimeUnit.SECONDS);
            assertThat(followed.exitCode()).as(followed.err()).isZero();
            JsonNode live = TestDaemon.json(followed.out());
            assertThat(live.path("queue").asInt(-1)).as(live.toString()).isBetween(0, 3);
            assertThat(live.path("ingress").asText()).isEqualTo("c0");
            assertThat(live.path("source").asText()).isEqualTo("10.9.0.2");
            assertThat(live.path("destinationPort").asInt()).isEqualTo(4000);
            assertThat(live.path("target").asInt()).isIn(44, 62);
            assertThat(live.path("fwmark").asInt()).isEqualTo(5000 + live.path("target").asInt());
            // Traced without an ingress, a client's packet arrives where the kernel routes back to the client.
            Cli traced = Cli.on(slb, "trace", "--protocol", "tcp", "--source", "10.9.0.2", "--sport", "40000",
                    "--destination", "20.0.0.1", "--dport", "4000");
            assertThat(traced.out()).as(traced.err()).startsWith("ingress c0,")
                    .contains("queue 0-3 (the kernel picks one per pair of addresses)");

            Cli unregister = Cli.on(slb, "unregister", "--stream", "stream-a-i", "--id", "62", "--wait");
            assertThat(unregister.exitCode()).as(unregister.err()).isZero();
            assertThat(lb.ip("rule")).doesNotContain("lookup 5062");
        }
        try (TestDaemon restarted = TestDaemon.start(options)) {
            restarted.awaitApplied();
            restarted.get("/readyz");
            Cli targets = Cli.on(restarted, "targets", "--stream", "stream-a-i", "-o", "json");
            assertThat(TestDaemon.json(targets.out())).hasSize(1);
            restarted.awaitApplied();
            assertThat(lb.ip("rule").lines().filter(rule -> rule.contains("lookup 5044")).count())
                    .as("one rule per target after a restart").isEqualTo(1);
            assertThat(lb.ip("route", "show", "table", "5044"))
                    .isEqualTo("default via 172.16.1.6 dev conduit-a--f75b proto 115\n");

            // The target stops answering ARP: the kernel's neighbour table says so, and its path goes.
            long before = restarted.daemon.sequence();
            lb.ip("neigh", "replace", "172.16.1.6", "dev", "conduit-a--f75b", "nud", "failed");
            assertThat(restarted.awaitEvent(before, "NeighbourFailed").path("address").asText())
                    .isEqualTo("172.16.1.6");
            restarted.awaitApplied();
            assertThat(Cli.json(restarted, "targets").get(0).path("status").asText()).isEqualTo("pending");
            assertThat(lb.ip("rule")).doesNotContain("lookup 5044");
        }
    }

    private static void register(TestDaemon slb, int identifier, String ip) {
        Cli run = Cli.on(slb, "register", "--stream", "stream-a-i", "--id", Integer.toString(identifier), ip, "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("; active, fwmark ");
    }
}
