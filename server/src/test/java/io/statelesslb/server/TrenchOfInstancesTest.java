package io.statelesslb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.statelesslb.server.Polling.awaitTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.statelesslb.controller.store.EventStoreOptions;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.etcd.EtcdCluster;
import io.statelesslb.eventlog.etcd.EtcdOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemons serve one trench from one event stream on etcd: whichever instance takes a write, all fold the same
 * events into the same targets, fwmarks, rule priorities and Maglev tables, and send every flow to the same target;
 * each keeps its own observations of its machine; a restarted one catches up; without etcd, writes are refused
 * with the reason while the state stays, and everything resumes when etcd is back.
 */
class TrenchOfInstancesTest {

    @TempDir
    Path dir;

    private EtcdCluster etcd;
    private final List<TestDaemon> instances = new ArrayList<>();

    private void startEtcd() throws IOException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        etcd = EtcdCluster.start(1);
    }

    @AfterEach
    void stop() {
        instances.forEach(TestDaemon::close);
        if (etcd != null) {
            etcd.close();
        }
    }

    private TestDaemon instance(String name, boolean seedConfig) {
        return instance(new SharedStream(etcdOptions(), name), seedConfig);
    }

    private EtcdOptions etcdOptions() {
        return new EtcdOptions(etcd.endpoints(), "/slb/trench-a/", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2));
    }

    private TestDaemon instance(SharedStream shared, boolean seedConfig) {
        String name = shared.instance();
        DaemonOptions daemon = DaemonOptions.defaults(dir.resolve(name)).withShared(shared)
                .withStore(new EventStoreOptions(EventLogOptions.DEFAULTS, 10));
        TestDaemon started = TestDaemon.start(seedConfig ? daemon.withConfig(TestDaemon.SEED_CONFIG) : daemon);
        started.seedMachine();
        instances.add(started);
        return started;
    }

    private static long sequence(TestDaemon instance) {
        return instance.get("/v1/status").path("sequence").asLong();
    }

    /** Waits until every instance has folded the stream up to the same sequence, and applied it. */
    private void awaitSameSequence() {
        awaitTrue(Duration.ofSeconds(20), () -> instances.stream().map(TrenchOfInstancesTest::sequence).distinct()
                .count() == 1, () -> "instances at different sequences");
        assertThat(instances.stream().map(TrenchOfInstancesTest::sequence).distinct()).hasSize(1);
        instances.forEach(TestDaemon::awaitApplied);
    }

    private static String register(int identifier) {
        return "{\"stream\":\"stream-a-i\",\"identifier\":" + identifier + ",\"ips\":[\"172.16.0." + (10 + identifier)
                + "\",\"fd00::" + Integer.toHexString(16 + identifier) + "\"]}";
    }

    @Test
    void writesThroughEveryInstanceGiveOneStateOneTableAndOneTargetPerFlow() throws Exception {
        startEtcd();
        TestDaemon a = instance("lb-a", true);
        TestDaemon b = instance("lb-b", false);
        TestDaemon c = instance("lb-c", false);

        // Thirty targets registered at once, ten through each instance, then some disabled through another.
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            TestDaemon through = instances.get(i % 3);
            int identifier = i + 1;
            answers.add(writers.submit(() -> through.http("POST", "/v1/targets", register(identifier)).statusCode()));
        }
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).isEqualTo(201);
        }
        for (int identifier = 3; identifier <= 30; identifier += 9) {
            TestDaemon through = instances.get(identifier % 3);
            assertThat(through.http("POST", "/v1/targets/stream-a-i/" + identifier + "/disable", null).statusCode())
                    .isEqualTo(200);
        }
        writers.shutdown();
        awaitSameSequence();

        JsonNode status = b.get("/v1/status");
        assertThat(status.path("instance").asText()).isEqualTo("lb-b");
        assertThat(status.path("events").asText()).startsWith("etcd http://127.0.0.1:")
                .endsWith(" under /slb/trench-a/");
        JsonNode targets = a.get("/v1/targets");
        assertThat(targets.size()).isEqualTo(30);
        assertThat(b.get("/v1/targets")).isEqualTo(targets);
        assertThat(c.get("/v1/targets")).isEqualTo(targets);
        JsonNode table = a.get("/v1/streams/stream-a-i/maglev");
        assertThat(b.get("/v1/streams/stream-a-i/maglev")).isEqualTo(table);
        assertThat(c.get("/v1/streams/stream-a-i/maglev")).isEqualTo(table);
        // Every fwmark and rule priority was given once, whoever decided it.
        List<Integer> fwmarks = new ArrayList<>();
        List<Integer> priorities = new ArrayList<>();
        targets.forEach(target -> {
            fwmarks.add(target.path("fwmark").asInt());
            priorities.add(target.path("rulePriority").asInt());
        });
        assertThat(fwmarks).doesNotHaveDuplicates();
        assertThat(priorities).doesNotHaveDuplicates();

        // 1,000 client flows: each is marked for the same target through every instance.
        Random random = new Random(15);
        for (int flow = 0; flow < 1000; flow++) {
            String packet = "{\"protocol\":\"tcp\",\"source\":\"10." + random.nextInt(256) + "." + random.nextInt(256)
                    + "." + (1 + random.nextInt(254)) + "\",\"sourcePort\":" + (1024 + random.nextInt(60000))
                    + ",\"destination\":\"20.0.0.1\",\"destinationPort\":4000}";
            JsonNode through = TestDaemon.json(a.http("POST", "/v1/trace", packet).body());
            assertThat(through.path("fwmark").asInt()).as("flow %s", packet).isGreaterThan(0);
            assertThat(TestDaemon.json(b.http("POST", "/v1/trace", packet).body()).path("fwmark"))
                    .as("flow %s through lb-b", packet).isEqualTo(through.path("fwmark"));
            assertThat(TestDaemon.json(c.http("POST", "/v1/trace", packet).body()).path("fwmark"))
                    .as("flow %s through lb-c", packet).isEqualTo(through.path("fwmark"));
        }
    }

    /** @return the instances' joins and leaves in the stream, as {@code InstanceJoined lb-a}, in order */
    private static List<String> tierEvents(TestDaemon through) {
        List<String> seen = new ArrayList<>();
        for (JsonNode event : through.get("/v1/events")) {
            String type = event.path("event").path("type").asText();
            if (type.startsWith("Instance")) {
                seen.add(type + " " + event.path("event").path("name").asText());
            }
        }
        return seen;
    }

    @Test
    void instancesJoinTheLbTierOnceLeaveItWhenTheyStopAndABadAddressStopsTheStart() throws IOException {
        startEtcd();
        TestDaemon a = instance(new SharedStream(etcdOptions(), "lb-a").withTier("169.254.100.1", "ext-vlan0"), true);
        TestDaemon b = instance(new SharedStream(etcdOptions(), "lb-b").withTier("169.254.100.2", "ext-vlan0"), false);
        awaitSameSequence();
        assertThat(tierEvents(a)).containsExactly("InstanceJoined lb-a", "InstanceJoined lb-b");
        assertThat(a.get("/v1/dataplane?source=model").toString()).contains("4098");
        assertThat(b.get("/v1/status").path("tier").toString()).isEqualTo("[{\"address\":\"169.254.100.1\","
                + "\"fwmark\":4097,\"interfaceName\":\"ext-vlan0\",\"name\":\"lb-a\"},{\"address\":"
                + "\"169.254.100.2\",\"fwmark\":4098,\"interfaceName\":\"ext-vlan0\",\"name\":\"lb-b\"}]");
        b.close();
        instances.remove(b);
        assertThat(tierEvents(a)).containsExactly("InstanceJoined lb-a", "InstanceJoined lb-b", "InstanceLeft lb-b");
        // As if lb-b had been killed while in the tier: its start with the same flags records nothing new.
        HttpResponse<String> joined = a.http("POST", "/v1/events", "{\"type\":\"InstanceJoined\",\"name\":\"lb-b\","
                + "\"address\":\"169.254.100.2\",\"interfaceName\":\"ext-vlan0\"}");
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        b = instance(new SharedStream(etcdOptions(), "lb-b").withTier("169.254.100.2", "ext-vlan0"), false);
        awaitSameSequence();
        assertThat(tierEvents(b)).containsExactly("InstanceJoined lb-a", "InstanceJoined lb-b", "InstanceLeft lb-b",
                "InstanceJoined lb-b");
        assertThatThrownBy(() -> instance(new SharedStream(etcdOptions(), "lb-c").withTier("169.254.100.2", "eth0"),
                false)).hasMessage("the LB tier refused instance lb-c: address=169.254.100.2 (expected: an address"
                        + " no other instance has; instance lb-b has it)");
        assertThat(tierEvents(a)).hasSize(4);
    }

    @Test
    void anInstanceKeepsItsOwnObservationsAndARestartedOneCatchesUp() throws IOException {
        startEtcd();
        TestDaemon a = instance("lb-a", true);
        TestDaemon b = instance("lb-b", false);
        assertThat(a.http("POST", "/v1/targets", register(1)).statusCode()).isEqualTo(201);
        awaitSameSequence();

        // lb-b loses a conduit interface: its own state says so, lb-a's does not.
        HttpResponse<String> down = b.http("POST", "/v1/events", "{\"type\":\"InterfaceDown\",\"name\":"
                + "\"conduit-a--d7c4\"}");
        assertThat(down.statusCode()).isEqualTo(201);
        assertThat(TestDaemon.json(down.body()).path("instance").asText()).isEqualTo("lb-b");
        awaitSameSequence();
        assertThat(b.daemon.controller().state().interfaces().get("conduit-a--d7c4").get().up()).isFalse();
        assertThat(a.daemon.controller().state().interfaces().get("conduit-a--d7c4").get().up()).isTrue();

        // A second daemon on lb-b's data directory is refused before it touches anything.
        assertThatThrownBy(() -> instance("lb-b", false)).hasMessageContaining("data directory")
                .hasMessageContaining("in use by another process");

        // lb-b stops; 25 changes are made through lb-a meanwhile; lb-b starts again and catches up.
        instances.remove(b);
        b.close();
        for (int identifier = 2; identifier <= 26; identifier++) {
            assertThat(a.http("POST", "/v1/targets", register(identifier)).statusCode()).isEqualTo(201);
        }
        TestDaemon again = instance("lb-b", false);
        awaitSameSequence();
        assertThat(again.get("/v1/targets")).isEqualTo(a.get("/v1/targets"));
        assertThat(again.daemon.controller().state().targets()).isEqualTo(a.daemon.controller().state().targets());
    }

    @Test
    void withoutEtcdWritesAreRefusedWithTheReasonAndEveryInstanceResumesWhenItIsBack() throws IOException {
        startEtcd();
        TestDaemon a = instance("lb-a", true);
        TestDaemon b = instance("lb-b", false);
        assertThat(a.http("POST", "/v1/targets", register(1)).statusCode()).isEqualTo(201);
        awaitSameSequence();
        JsonNode before = b.get("/v1/targets");

        etcd.kill(0);
        HttpResponse<String> refused = b.http("POST", "/v1/targets", register(2));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(TestDaemon.json(refused.body()).path("error").asText()).isEqualTo("store_unavailable");
        assertThat(refused.body()).contains("etcd");
        HttpResponse<String> ready = b.http("GET", "/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("etcd");
        assertThat(b.get("/v1/targets")).isEqualTo(before);

        etcd.restart(0);
        awaitTrue(Duration.ofSeconds(30), () -> b.http("GET", "/readyz", null).statusCode() == 200,
                () -> "lb-b not ready again: " + b.http("GET", "/readyz", null).body());
        assertThat(b.http("GET", "/readyz", null).statusCode()).isEqualTo(200);
        assertThat(b.http("POST", "/v1/targets", register(3)).statusCode()).isIn(201);
        awaitSameSequence();
        assertThat(a.get("/v1/targets")).isEqualTo(b.get("/v1/targets"));
        assertThat(a.get("/v1/targets").findValuesAsText("identifier")).contains("3");
    }

    @Test
    void aRecordNoInstanceCanFoldStopsFollowingAndRefusesWritesWithItsKey() throws Exception {
        startEtcd();
        TestDaemon a = instance("lb-a", true);
        long last = sequence(a);
        String key = "/slb/trench-a/events/" + String.format("%020d", last + 1);
        // Written by another program: the head moves on to a record that is not one of slb's.
        try (Client client = Client.builder().endpoints(etcd.endpoints().toArray(URI[]::new)).build()) {
            client.getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8),
                    ByteSequence.from("not a record", StandardCharsets.UTF_8)).get();
            client.getKVClient().put(ByteSequence.from("/slb/trench-a/head", StandardCharsets.UTF_8),
                    ByteSequence.from(Long.toString(last + 1), StandardCharsets.UTF_8)).get();
        }

        awaitTrue(Duration.ofSeconds(10), () -> a.http("GET", "/readyz", null).statusCode() != 200,
                () -> "lb-a still ready");
        HttpResponse<String> ready = a.http("GET", "/readyz", null);
        HttpResponse<String> refused = a.http("POST", "/v1/targets", register(9));

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains(key).contains("cannot fold");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("store_unavailable").contains(key);
        assertThat(sequence(a)).isEqualTo(last);
    }
}
