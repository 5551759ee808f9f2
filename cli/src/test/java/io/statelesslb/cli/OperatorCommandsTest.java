package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import io.statelesslb.server.build.BuildInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands in kubectl's habits: get, delete, enable, disable, export, apply -f -, version; usage errors. */
class OperatorCommandsTest {

    @TempDir
    Path work;

    private TestDaemon slb;

    @BeforeEach
    void start() {
        slb = TestDaemon.seeded(work.resolve("data"));
    }

    @AfterEach
    void stop() {
        if (slb != null) {
            slb.close();
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLineAndWhereToReadMore() {
        for (String[] args : new String[][] {{"targets", "--bogus"}, {"events", "--after", "-3"},
                {"get", "gadgets"}, {"status", "--server", "ftp://x"}, {"register", "--stream", "s", "--id", "x",
                        "10.0.0.1"}, {"run", "--data-dir", work.resolve("r").toString(), "--listen", "h:abc"},
                {"register", "--stream", "s", "--id", "1", "10.0.0.1", "--timeout", "soon"},
                {"run", "--data-dir", work.resolve("q").toString(), "--queues", "5:2"},
                {"run", "--data-dir", work.resolve("l").toString(), "--log-level", "loud"},
                {"run", "--data-dir", work.resolve("t").toString(), "--tier-address", "10.0.0.1"},
                {"run", "--data-dir", work.resolve("t").toString(), "--tier-address", "10.0.0.1", "--tier-interface",
                        "eth0"}}) {
            Cli run = Cli.run(args);
            assertThat(run.exitCode()).as("slb %s: %s", String.join(" ", args), run.err()).isEqualTo(2);
            assertThat(run.err().lines()).as(run.err()).hasSize(2);
            assertThat(run.err()).startsWith("slb " + args[0] + ": ")
                    .endsWith("See 'slb " + args[0] + " --help'.\n");
        }
        assertThat(Cli.run("targts").err()).contains("Did you mean: slb targets");
        assertThat(Cli.run("run", "--data-dir", work.resolve("q").toString(), "--queues", "5:2", "--queue-length",
                "0").err()).as("every bad value at once").contains("queues=5:2 (expected: FIRST:LAST",
                "queueLength=0 (expected: 1..");
        assertThat(work.resolve("q")).as("nothing started").doesNotExist();
        assertThat(Cli.run("run", "--data-dir", work.resolve("t").toString(), "--tier-interface", "eth0").err())
                .contains("--tier-interface alone (expected: --tier-address and --tier-interface together)");
        assertThat(Cli.run("run", "--data-dir", work.resolve("t").toString(), "--tier-address", "10.0.0.1",
                "--tier-interface", "eth0").err()).contains("--tier-address with the local event store (expected:"
                + " --event-store etcd");
        assertThat(work.resolve("t")).as("nothing started").doesNotExist();
    }

    @Test
    void serverAddressesAsOperatorsWriteThem() {
        String hostPort = slb.server.getHost() + ":" + slb.server.getPort();
        Cli status = Cli.run("status", "--server", hostPort);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("ready:     yes");
        assertThat(Cli.run("status", "--server", "http://" + hostPort + "/").exitCode()).isZero();
        assertThat(Cli.run("status", "--server", "127.0.0.1:1").exitCode()).as("unreachable").isEqualTo(3);
    }

    @Test
    void aMissingFileIsNamedInWords() {
        Cli run = Cli.on(slb, "apply", "-f", work.resolve("missing.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(work.resolve("missing.yaml") + ": no such file")
                .doesNotContain("Exception", ":0:0");
    }

    @Test
    void getListsAndShowsObjectsAndDeleteRemovesThem() {
        Cli vips = Cli.on(slb, "get", "vips");
        assertThat(vips.out()).contains("vip-a-1-v4               address=20.0.0.1/32");
        Cli flow = Cli.on(slb, "get", "flow", "flow-a-z-tcp", "-o", "wide");
        assertThat(flow.out()).contains("protocols=tcp", "stream=stream-a-i", "vips=vip-a-1-v4,vip-a-1-v6");
        JsonNode definition = Cli.json(slb, "get", "vip", "vip-a-1-v6");
        assertThat(definition.path("address").asText()).isEqualTo("2000::1/128");

        assertThat(Cli.on(slb, "register", "--stream", "stream-a-i", "--id", "7", "172.16.0.7").exitCode()).isZero();
        assertThat(Cli.on(slb, "get", "target", "stream-a-i/7").out()).contains("stream-a-i", " 7 ", "172.16.0.7");
        Cli inUse = Cli.on(slb, "delete", "vip", "vip-a-1-v4");
        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.err()).contains("still used by flows flow-a-z-tcp");
        assertThat(Cli.on(slb, "delete", "target", "stream-a-i/7").out()).startsWith("unregistered stream-a-i/7");
        assertThat(Cli.on(slb, "get", "target", "stream-a-i/7").exitCode()).isEqualTo(1);
        assertThat(Cli.on(slb, "put-nothing").exitCode()).isEqualTo(2);
    }

    @Test
    void disableDrainsEnableRestoresAndTheSameAgainChangesNothing() {
        assertThat(Cli.on(slb, "register", "--stream", "stream-a-i", "--id", "7", "172.16.0.7").exitCode()).isZero();
        assertThat(Cli.on(slb, "disable", "--stream", "stream-a-i", "--id", "7", "--wait").out())
                .startsWith("disabled stream-a-i/7 (event #").contains("; applied");
        assertThat(Cli.json(slb, "get", "target", "stream-a-i/7").path("status").asText()).isEqualTo("disabled");
        assertThat(Cli.on(slb, "disable", "--stream", "stream-a-i", "--id", "7").out())
                .contains("unchanged", "nothing recorded");
        assertThat(Cli.on(slb, "enable", "--stream", "stream-a-i", "--id", "7", "--wait").exitCode()).isZero();
        assertThat(Cli.json(slb, "get", "target", "stream-a-i/7").path("enabled").asBoolean()).isTrue();
        // The log holds one disable and one enable: the second disable recorded nothing. (The simulated gateway
        // sessions may add events of their own meanwhile, so the types are counted, not the sequence.)
        List<String> types = new ArrayList<>();
        slb.get("/v1/events?limit=10000").forEach(event -> types.add(event.path("event").path("type").asText()));
        assertThat(types).filteredOn(type -> type.startsWith("TargetDisabled") || type.startsWith("TargetEnabled"))
                .containsExactly("TargetDisabled", "TargetEnabled");
    }

    @Test
    void registerWaitSaysWhyATargetIsNotActiveAndExitsOne() {
        // No interface of the conduit holds 10.9.9.9: the target stays pending.
        Cli run = Cli.on(slb, "register", "--stream", "stream-a-i", "--id", "8", "10.9.9.9", "--wait",
                "--timeout", "300ms");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("registered stream-a-i/8", "pending after 300ms: no interface of conduit"
                + " conduit-a that is up has a subnet holding 10.9.9.9");
    }

    @Test
    void anExportAppliedFromTheStandardInputChangesNothingAndRebuildsTheTrenchElsewhere() throws Exception {
        Cli export = Cli.on(slb, "export");
        assertThat(export.exitCode()).isZero();
        assertThat(export.out()).startsWith("trench: trench-a\n").contains("name: flow-a-z-tcp");
        JsonNode asJson = Cli.json(slb, "export");
        assertThat(asJson.path("trench").asText()).isEqualTo("trench-a");
        assertThat(asJson.path("flows").get(0).path("destinationPorts").get(0).asText()).isEqualTo("4000");
        assertThat(applyFromStandardInput(slb, export.out()).out())
                .contains("no changes: the daemon's state matches the standard input");
        try (TestDaemon other = TestDaemon.start(DaemonOptions.defaults(work.resolve("other")))) {
            Cli applied = applyFromStandardInput(other, export.out());
            assertThat(applied.out()).contains("change(s) recorded");
            assertThat(Cli.on(other, "export").out()).isEqualTo(export.out());
        }
    }

    private static Cli applyFromStandardInput(TestDaemon daemon, String yaml) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        try {
            Cli run = Cli.on(daemon, "apply", "-f", "-");
            assertThat(run.exitCode()).as(run.err()).isZero();
            return run;
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void diffOfAFileShowsTheFieldsThatWouldChangeAndChangesNothing() throws Exception {
        String seed = Files.readString(TestDaemon.SEED_CONFIG);
        Path changed = work.resolve("changed.yaml");
        Files.writeString(changed, seed.replace("address: 20.0.0.1/32", "address: 20.0.0.9/32")
                .replace("priority: 1 ", "priority: 5 ")
                .replace("vips:\n", "vips:\n  - name: vip-new\n    address: 40.0.0.1/32\n"));
        long sequence = slb.daemon.sequence();
        Cli diff = Cli.on(slb, "diff", "-f", changed.toString());
        assertThat(diff.exitCode()).isEqualTo(1);
        assertThat(diff.out().lines()).containsExactly("+ vips/vip-new address=40.0.0.1/32",
                "~ vips/vip-a-1-v4 address: 20.0.0.1/32 => 20.0.0.9/32",
                "~ flows/flow-a-z-tcp priority: 1 => 5");
        Cli same = Cli.on(slb, "diff", "-f", TestDaemon.SEED_CONFIG.toString());
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).startsWith("no changes");
        assertThat(slb.daemon.sequence()).as("nothing recorded").isEqualTo(sequence);
    }

    @Test
    void versionNamesTheClientAndTheServer() {
        Cli run = Cli.on(slb, "version");
        assertThat(run.out()).contains("client: slb " + BuildInfo.version(), "server: slb " + BuildInfo.version()
                + " at " + slb.server.toString().replaceAll("/$", ""));
        Cli unreachable = Cli.run("version", "--server", "127.0.0.1:1", "-o", "json");
        assertThat(unreachable.exitCode()).isEqualTo(3);
        assertThat(TestDaemon.json(unreachable.out()).path("client").asText()).isEqualTo(BuildInfo.version());
        assertThat(Cli.run("--version").out()).startsWith("slb " + BuildInfo.version() + " (stateless-lb");
    }
}
