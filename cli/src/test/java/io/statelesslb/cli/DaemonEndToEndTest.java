package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon on the simulator, driven only through HTTP and the CLI: targets registered and shown, packets traced,
 * a target leaving and its flows remapped, and a restart on the same data directory that finds the same state.
 */
class DaemonEndToEndTest {

    private static final int FLOWS = 1000;

    @TempDir
    Path work;

    @Test
    void targetsComeAndGoAndARestartFindsTheSameState() {
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG)
                .withClock(Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));
        List<Integer> before;
        JsonNode targetsBefore;
        String maglevBefore;
        long sequenceBefore;
        try (TestDaemon slb = TestDaemon.start(options)) {
            slb.seedMachine();
            // The seed's four targets, registered as a target's agent would, waiting for the dataplane.
            register(slb, 44, "172.16.1.6", "fd00:0:0:1::6");
            register(slb, 62, "172.16.0.2", "fd00::2");
            register(slb, 69, "172.16.0.3", "fd00::3");
            register(slb, 73, "172.16.1.8", "fd00:0:0:1::8");

            JsonNode targets = Cli.json(slb, "targets");
            assertThat(targets).hasSize(4);
            targets.forEach(t -> assertThat(t.path("status").asText()).as(t.toString()).isEqualTo("active"));
            Cli show = Cli.on(slb, "show", "--stream", "stream-a-i");
            assertThat(show.out()).as(show.err())
                    .contains("Lookup: 68 68 68 72 43 61 43 61 72 61 61 72 43 68 61 61 43 43 43 61 72 68 61 43 43...")
                    .contains("Active: 5044(43) 5062(61) 5069(68) 5073(72)");

            Cli trace = Cli.on(slb, "trace", "--protocol", "tcp", "--source", "10.1.1.1", "--sport", "40000",
                    "--destination", "20.0.0.1", "--dport", "4000");
            assertThat(trace.exitCode()).as(trace.err()).isZero();
            assertThat(trace.out()).contains("flow flow-a-z-tcp of stream stream-a-i").contains("=> TO_TARGET");

            before = fwmarks(slb);
            assertThat(before).doesNotContain(0);
            assertThat(before.stream().distinct()).containsExactlyInAnyOrder(5044, 5062, 5069, 5073);

            Cli unregister = Cli.on(slb, "unregister", "--stream", "stream-a-i", "--id", "62", "--wait");
            assertThat(unregister.exitCode()).as(unregister.err()).isZero();
            assertThat(unregister.out()).contains("unregistered stream-a-i/62").contains("; applied");
            List<Integer> after = fwmarks(slb);
            int moved = 0;
            for (int i = 0; i < FLOWS; i++) {
                if (before.get(i) != 5062) {
                    moved += after.get(i).equals(before.get(i)) ? 0 : 1;
                } else {
                    assertThat(after.get(i)).as("a flow of the target that left").isNotEqualTo(5062);
                }
            }
            assertThat(moved).as("flows of the other targets that moved").isLessThan(FLOWS / 50);

            String metrics = slb.http("GET", "/metrics", null).body();
            assertThat(metrics)
                    .contains("slb_events_total{outcome=\"recorded\",type=\"TargetRegistered\"} 4.0")
                    .contains("slb_flow_matches_total{flow=\"flow-a-z-tcp\"} " + (2 * FLOWS + 1) + ".0")
                    .containsPattern("slb_target_packets_total\\{stream=\"stream-a-i\",target=\"44\"} \\d+\\.0")
                    .contains("slb_apply_seconds_count");

            targetsBefore = Cli.json(slb, "targets");
            maglevBefore = slb.get("/v1/streams/stream-a-i/maglev").path("lookup").toString();
            sequenceBefore = slb.daemon.sequence();
        }

        try (TestDaemon restarted = TestDaemon.start(options)) {
            assertThat(restarted.daemon.sequence()).as("the configuration is unchanged: nothing new is logged")
                    .isEqualTo(sequenceBefore);
            // The start's first apply is under way as the daemon answers; the views compare what it applied.
            restarted.awaitApplied();
            assertThat(Cli.json(restarted, "targets")).isEqualTo(targetsBefore);
            assertThat(restarted.get("/v1/streams/stream-a-i/maglev").path("lookup").toString())
                    .isEqualTo(maglevBefore);
            assertThat(restarted.get("/readyz").path("status").asText()).isEqualTo("ok");
            JsonNode events = Cli.json(restarted, "events", "--limit", "10000");
            assertThat(events).hasSize((int) sequenceBefore)
                    .allSatisfy(event -> assertThat(event.path("timestamp").asText())
                            .isEqualTo("2026-11-26T12:00:00Z"));
            Cli status = Cli.on(restarted, "status");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("ready:     yes");
        }
    }

    @Test
    void slbTraceFollowPrintsThePacketsOfItsFlowLiveAndEndsAfterItsCount() throws Exception {
        try (TestDaemon slb = TestDaemon.start(DaemonOptions.defaults(work.resolve("live"))
                .withConfig(TestDaemon.SEED_CONFIG))) {
            slb.seedMachine();
            register(slb, 44, "172.16.1.6", "fd00:0:0:1::6");
            register(slb, 73, "172.16.1.8", "fd00:0:0:1::8");
            CompletableFuture<Cli> follower = CompletableFuture.supplyAsync(() -> Cli.on(slb, "trace", "--follow",
                    "--flow", "flow-a-z-tcp", "--count", "2", "-o", "json"));
            // Packets traced until the follower has seen two of its flow: it subscribes a moment after it starts.
            for (int port = 40000; !follower.isDone() && port < 40100; port++) {
                slb.http("POST", "/v1/trace", "{\"protocol\":\"udp\",\"source\":\"10.1.1.1\",\"sourcePort\":"
                        + port + ",\"destination\":\"20.0.0.1\",\"destinationPort\":53}");
                slb.http("POST", "/v1/trace", "{\"protocol\":\"tcp\",\"source\":\"10.1.1.1\",\"sourcePort\":"
                        + port + ",\"destination\":\"20.0.0.1\",\"destinationPort\":4000}");
                Thread.sleep(50);
            }
            Cli followed = follower.get(10, TimeUnit.SECONDS);
            assertThat(followed.exitCode()).as(followed.err()).isZero();
            List<JsonNode> traces = followed.out().lines().map(TestDaemon::json).toList();
            assertThat(traces).hasSize(2).allSatisfy(trace -> {
                assertThat(trace.path("flow").asText()).isEqualTo("flow-a-z-tcp");
                assertThat(trace.path("protocol").asText()).isEqualTo("tcp");
                assertThat(trace.path("destination").asText()).isEqualTo("20.0.0.1");
                assertThat(trace.path("destinationPort").asInt()).isEqualTo(4000);
                assertThat(trace.path("target").asInt()).isIn(44, 73);
                assertThat(trace.path("fwmark").asInt()).isEqualTo(5000 + trace.path("target").asInt());
                assertThat(trace.path("ingress").asText()).isEqualTo("ext-vlan0");
            });

            Cli unknown = Cli.on(slb, "trace", "--follow", "--flow", "no-such-flow");
            assertThat(unknown.exitCode()).isNotZero();
            assertThat(unknown.err()).contains("flow=no-such-flow (expected: one of the defined flows:");
            Cli mixed = Cli.on(slb, "trace", "--follow", "--protocol", "tcp");
            assertThat(mixed.exitCode()).isNotZero();
            assertThat(mixed.err()).contains("--follow traces the real packets");
            assertThat(slb.http("GET", "/v1/trace/follow?rate=5000", null).statusCode()).isEqualTo(400);
        }
    }

    private static void register(TestDaemon slb, int identifier, String... ips) {
        List<String> args = new ArrayList<>(List.of("register", "--stream", "stream-a-i", "--id",
                Integer.toString(identifier), "--wait"));
        args.addAll(List.of(ips));
        Cli run = Cli.on(slb, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("registered stream-a-i/" + identifier).contains("; active, fwmark ");
    }

    /** @return the fwmark of each of the same {@value #FLOWS} generated flows, traced over HTTP */
    private static List<Integer> fwmarks(TestDaemon slb) {
        Random random = new Random(5);
        List<Integer> fwmarks = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            String source = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            HttpResponse<String> trace = slb.http("POST", "/v1/trace", "{\"protocol\":\"tcp\",\"source\":\"" + source
                    + "\",\"sourcePort\":" + (1024 + random.nextInt(60000)) + ",\"destination\":\"20.0.0.1\","
                    + "\"destinationPort\":4000}");
            assertThat(trace.statusCode()).as(trace.body()).isEqualTo(200);
            fwmarks.add(TestDaemon.json(trace.body()).path("fwmark").asInt());
        }
        return fwmarks;
    }
}
