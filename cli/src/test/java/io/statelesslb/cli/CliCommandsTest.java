package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.controller.pipeline.PipelineOptions;
import io.statelesslb.dataplane.testing.FaultyDataplane;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.server.Daemon;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import io.statelesslb.sim.SimulatedDataplane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a running daemon: tables for people, JSON for scripts, exit codes. */
class CliCommandsTest {

    @TempDir
    Path work;

    private TestDaemon slb;

    @BeforeEach
    void start() {
        slb = TestDaemon.seeded(work.resolve("data"));
        assertThat(Cli.on(slb, "register", "--stream", "stream-a-i", "--id", "1", "172.16.0.2", "fd00::2", "--wait")
                .exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        slb.close();
    }

    @Test
    void applySendsTheFileAndChecksItLocallyFirst() throws IOException {
        Path file = work.resolve("trench.yaml");
        Files.writeString(file, Files.readString(TestDaemon.SEED_CONFIG).replace("vips:\n",
                "vips:\n  - name: vip-b-v4\n    address: 30.0.0.1/32\n"));
        Cli dryRun = Cli.on(slb, "apply", "-f", file.toString(), "--dry-run");
        assertThat(dryRun.out())
                .isEqualTo("would record VipDefined vip-b-v4 30.0.0.1/32\n1 change(s) would be recorded\n");
        Cli apply = Cli.on(slb, "apply", "-f", file.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out())
                .containsPattern("#\\d+ +\\S+ +VipDefined +vip-b-v4 30.0.0.1/32  \\(from API client"
                        + " 127\\.0\\.0\\.1:\\d+, file " + Pattern.quote(file.toString())
                        + "\\)\n1 change\\(s\\) recorded\n");
        assertThat(Cli.on(slb, "apply", "-f", file.toString()).out())
                .isEqualTo("no changes: the daemon's state matches " + file + "\n");

        Files.writeString(file, "trench: trench-a\nconduits:\n  - name: conduit-a\n    mtu: 9000\n");
        Cli broken = Cli.on(slb, "apply", "-f", file.toString());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err()).startsWith("slb apply: the configuration has 1 error(s):\n  " + file + ":4:5: ")
                .contains("mtu");
    }

    @Test
    void disablingATargetEmptiesItsSlotAndEnablingRestoresIt() {
        assertThat(slb.http("POST", "/v1/targets/stream-a-i/1/disable?wait", null).statusCode()).isEqualTo(200);
        JsonNode disabled = Cli.json(slb, "targets", "--stream", "stream-a-i").get(0);
        assertThat(disabled.path("status").asText()).isEqualTo("disabled");
        assertThat(Cli.on(slb, "show", "--stream", "stream-a-i").out()).contains("Active:\n");
        assertThat(slb.http("POST", "/v1/targets/stream-a-i/1/enable?wait", null).statusCode()).isEqualTo(200);
        assertThat(Cli.on(slb, "show", "--stream", "stream-a-i").out()).contains("Active: 5001(0)\n")
                .contains("target 1    fwmark 5001   slot 0       9973 entries  100.0%");
        JsonNode maglev = Cli.json(slb, "show", "--stream", "stream-a-i");
        assertThat(maglev.path("m").asInt()).isEqualTo(9973);
        assertThat(maglev.path("lookup")).hasSize(9973).allSatisfy(entry -> assertThat(entry.asInt()).isZero());
    }

    @Test
    void viewsPrintWhatTheLinuxToolsWould() {
        Cli dataplane = Cli.on(slb, "dataplane");
        assertThat(dataplane.exitCode()).as(dataplane.err()).isZero();
        assertThat(dataplane.out()).contains("$ ip rule\n99:\tfrom all fwmark 0x1389 lookup 5001 proto 115\n")
                .contains("$ ip route show table 5001\ndefault via 172.16.0.2 dev conduit-a--d7c4 proto 115\n")
                .contains("$ nft list ruleset\ntable inet meridio-nfqlb {");
        JsonNode views = Cli.json(slb, "dataplane").path("views");
        assertThat(views.get(0).path("command").asText()).isEqualTo("nft list ruleset");
        Cli flows = Cli.on(slb, "flow-list");
        assertThat(TestDaemon.json(flows.out()).get(0).path("name").asText()).isEqualTo("tshm-stream-a-i-flow-a-z-tcp");
        Cli dropped = Cli.on(slb, "trace", "--protocol", "udp", "--source", "10.1.1.1", "--sport", "5000",
                "--destination", "20.0.0.1", "--dport", "4000", "-o", "json");
        assertThat(TestDaemon.json(dropped.out()).path("outcome").asText()).isEqualTo("DROPPED");
        Cli bad = Cli.on(slb, "trace", "--protocol", "tcp", "--source", "10.1.1.1", "--destination", "20.0.0.1");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("slb trace: malformed (HTTP 400): destinationPort is required (expected:"
                + " 1..65535)\n");
    }

    @Test
    void diffShowsWhatTheDataplaneLacksAndTheModelWhatItShouldHold() {
        Cli inSync = Cli.on(slb, "diff");
        assertThat(inSync.exitCode()).as(inSync.err()).isZero();
        assertThat(inSync.out()).startsWith("the sim dataplane holds the plan of the state at event #");

        // A dataplane that is never told of changes made by hand, and never rechecks: the difference stays.
        SimulatedDataplane simulator = new SimulatedDataplane();
        FaultyDataplane untold = new FaultyDataplane(simulator).deaf();
        DaemonOptions options = DaemonOptions.defaults(work.resolve("untold")).withConfig(TestDaemon.SEED_CONFIG)
                .withListen("127.0.0.1", 0).withPipeline(PipelineOptions.DEFAULTS.withRecheckEvery(Duration.ZERO));
        try (TestDaemon other = TestDaemon.wrap(Daemon.start(options, untold))) {
            other.seedMachine();
            other.awaitApplied();
            simulator.host().deleteVipElement(Cidr.parse("20.0.0.1/32").get());
            Cli differs = Cli.on(other, "diff", "-o", "json");
            assertThat(differs.exitCode()).isEqualTo(1);
            assertThat(TestDaemon.json(differs.out()).path("operations")).extracting(JsonNode::asText)
                    .containsExactly("nft add element inet meridio-nfqlb ipv4-vips { 20.0.0.1/32 }");
        }
        Cli model = Cli.on(slb, "dataplane", "--source", "model");
        assertThat(model.exitCode()).as(model.err()).isZero();
        assertThat(model.out()).startsWith("# the plan of the state at event #")
                .contains("elements = { 20.0.0.1 }");
        assertThat(Cli.on(slb, "dataplane", "--source", "nowhere").err())
                .contains("--source nowhere (expected: dataplane or model)");
    }

    @Test
    void eventsFollowPrintsNewEventsAsTheyAreRecorded() throws Exception {
        long after = slb.daemon.sequence();
        CompletableFuture<Cli> follow = CompletableFuture.supplyAsync(() ->
                Cli.on(slb, "events", "--follow", "--after", Long.toString(after)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slb.daemon.controller().feed().watchers() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the command connects in its own time
        }
        assertThat(slb.daemon.controller().feed().watchers()).as("the follow is connected").isEqualTo(1);
        Cli unregister = Cli.on(slb, "unregister", "--stream", "stream-a-i", "--id", "1");
        assertThat(unregister.exitCode()).isZero();
        slb.awaitEvent(after, "TargetUnregistered");
        slb.close(); // the watch ends with the daemon, and so does the command
        Cli followed = follow.get(30, TimeUnit.SECONDS);
        assertThat(followed.out()).containsPattern("#" + (after + 1) + " +\\S+ +TargetUnregistered +stream-a-i/1"
                + "  \\(from API client 127\\.0\\.0\\.1:\\d+\\)\n");
        slb = TestDaemon.start(DaemonOptions.defaults(work.resolve("data")));
        Cli listed = Cli.on(slb, "events", "--after", Long.toString(after));
        assertThat(listed.out()).isEqualTo(followed.out());
    }

    @Test
    void theCliExitsThreeWhenNoDaemonAnswers() {
        Cli run = Cli.run("targets", "--server", "http://127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("slb targets: cannot reach the daemon at http://127.0.0.1:1 (is `slb run`"
                + " running there? set --server or SLB_SERVER)\n");
    }

    @Test
    void aChangeWithoutTheTokenIsRefusedAndExitsOne() throws IOException {
        Path tokenFile = work.resolve("token");
        Files.writeString(tokenFile, "s3cret-token-0123456789\n");
        DaemonOptions options = DaemonOptions.defaults(work.resolve("guarded")).withTokenFile(tokenFile);
        try (TestDaemon guarded = TestDaemon.start(options)) {
            Cli refused = Cli.on(guarded, "register", "--stream", "s", "--id", "1", "10.0.0.1");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).startsWith("slb register: unauthorized (HTTP 401)");
            Cli holder = Cli.on(guarded, "status", "--token-file", tokenFile.toString());
            assertThat(holder.out()).contains("backend:   sim").contains("events:    local log ");
        }
    }
}
