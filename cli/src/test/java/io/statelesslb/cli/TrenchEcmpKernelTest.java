package io.statelesslb.cli;

import static io.statelesslb.server.Polling.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.eventlog.etcd.EtcdCluster;
import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code slb run --backend kernel --event-store etcd} processes serve one trench in network namespaces
 * ({@link TrenchTopology}) behind a gateway's multipath route: targets registered through different instances get the
 * same fwmarks everywhere; 1,000 client flows are each traced to the same target by every instance and answered by
 * that very target, whichever instance the gateway sends them through; an instance killed with SIGKILL and started
 * again catches up with what was recorded meanwhile; an instance cut off from etcd keeps forwarding, refuses writes
 * with the reason, and catches up once it can reach etcd again. Needs root and etcd; skipped elsewhere.
 */
class TrenchEcmpKernelTest {

    private static final int PORT = 4000;
    private static final int FLOWS = 1000;
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Pattern MATCHES = Pattern.compile("\"matches_count\": (\\d+)");
    private static final String CONFIG = """
            trench: trench-e
            conduits:
              - name: conduit-a
                interfacePrefix: conduit-a-
            streams:
              - name: stream-a-i
                conduit: conduit-a
                maxTargets: 100
            vips:
              - name: vip-a-1-v4
                address: 20.0.0.1/32
            flows:
              - name: flow-a-udp
                stream: stream-a-i
                priority: 1
                protocols: [udp]
                destinationPorts: ["4000"]
                vips: [vip-a-1-v4]
            gateways:
              - name: gateway-a
                address: 169.254.100.150
                interfaceName: ext-vlan0
                protocol: static
            attractors:
              - name: attractor-a-1
                vips: [vip-a-1-v4]
                gateways: [gateway-a]
            """;

    @TempDir
    Path work;

    private TrenchTopology topology;
    private EtcdCluster etcd;
    private TcpRelay cutOff;
    private final DaemonProcess[] instances = new DaemonProcess[TrenchTopology.INSTANCES + 1];
    private String prefix;

    @BeforeEach
    void build() throws IOException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        topology = TrenchTopology.build("slbe");
        topology.serve(PORT);
        etcd = EtcdCluster.start(1);
        // The third instance reaches etcd through a relay the test can cut.
        cutOff = TcpRelay.to(etcd.endpoints().get(0));
        prefix = "/slb/trench-e-" + ProcessHandle.current().pid() + "/";
        Files.writeString(work.resolve("trench.yaml"), CONFIG);
    }

    @AfterEach
    void tearDown() {
        for (DaemonProcess instance : instances) {
            if (instance != null) {
                instance.close();
            }
        }
        if (topology != null) {
            for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
                Cli.run("cleanup", "--netns", topology.lb(n).name());
            }
        }
        if (cutOff != null) {
            cutOff.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    private DaemonProcess start(int n, String... more) {
        URI endpoint = n == 3 ? cutOff.url() : etcd.endpoints().get(0);
        List<String> args = new ArrayList<>(List.of("run", "--data-dir", work.resolve("lb" + n).toString(),
                "--backend", "kernel", "--netns", topology.lb(n).name(), "--listen", "127.0.0.1:0",
                "--event-store", "etcd", "--etcd-endpoints", endpoint.toString(), "--etcd-prefix", prefix,
                "--etcd-timeout", "2s", "--instance", "lb" + n));
        args.addAll(List.of(more));
        if (n == 1) {
            args.addAll(List.of("--config", work.resolve("trench.yaml").toString()));
        }
        DaemonProcess instance = DaemonProcess.start(work.resolve("lb" + n + "-" + System.nanoTime() + ".log"),
                args.toArray(String[]::new));
        assertThat(instance.server()).as(instance.output()).isNotNull();
        instances[n] = instance;
        return instance;
    }

    private URI server(int n) {
        return instances[n].server();
    }

    private static HttpResponse<String> http(URI server, String method, String path, String body) {
        return TestDaemon.http(server, null, method, path, body);
    }

    private static JsonNode get(URI server, String path) {
        return TestDaemon.json(http(server, "GET", path, null).body());
    }

    private static long sequence(URI server) {
        return get(server, "/v1/status").path("sequence").asLong();
    }

    /** Waits until every running instance is at the same sequence, with {@code active} targets active, applied. */
    private void awaitInStep(int active) {
        awaitTrue(READY, () -> {
            List<Long> sequences = new ArrayList<>();
            for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
                JsonNode targets = get(server(n), "/v1/targets");
                long activeHere = 0;
                for (JsonNode target : targets) {
                    activeHere += target.path("status").asText().equals("active") ? 1 : 0;
                }
                if (activeHere != active || http(server(n), "GET", "/readyz", null).statusCode() != 200) {
                    return false;
                }
                sequences.add(sequence(server(n)));
            }
            return sequences.stream().distinct().count() == 1;
        }, () -> "instances not in step: " + describe());
    }

    private String describe() {
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            out.append("\nlb").append(n).append(": ").append(http(server(n), "GET", "/v1/status", null).body())
                    .append('\n').append(http(server(n), "GET", "/v1/targets", null).body());
        }
        return out.toString();
    }

    private static String register(int identifier) {
        return "{\"stream\":\"stream-a-i\",\"identifier\":" + identifier + ",\"ips\":[\""
                + TrenchTopology.targetAddress(identifier) + "\"]}";
    }

    /** @return the fwmark each instance's trace gives the flow from {@code sourcePort}, all equal, or an error */
    private int traced(int sourcePort) {
        return traced("10.9.0.2", sourcePort);
    }

    /** @return the fwmark each instance's trace gives the flow from {@code source:sourcePort}, all equal */
    private int traced(String source, int sourcePort) {
        String packet = "{\"protocol\":\"udp\",\"source\":\"" + source + "\",\"sourcePort\":" + sourcePort
                + ",\"destination\":\"" + TrenchTopology.VIP + "\",\"destinationPort\":" + PORT + "}";
        int fwmark = -1;
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            JsonNode trace = TestDaemon.json(http(server(n), "POST", "/v1/trace", packet)
                    .body());
            assertThat(trace.path("outcome").asText()).as("lb%d's trace of %s", n, packet).isEqualTo("TO_TARGET");
            if (fwmark >= 0) {
                assertThat(trace.path("fwmark").asInt()).as("lb%d's fwmark for %s", n, packet).isEqualTo(fwmark);
            }
            fwmark = trace.path("fwmark").asInt();
        }
        return fwmark;
    }

    /** @return target name (t1..t4) by fwmark, as lb1 says */
    private Map<Integer, String> targetsByFwmark() {
        Map<Integer, String> names = new HashMap<>();
        for (JsonNode target : get(server(1), "/v1/targets")) {
            names.put(target.path("fwmark").asInt(), "t" + target.path("identifier").asInt());
        }
        return names;
    }

    /** Sends {@code count} flows from the client and checks each is answered by the target every trace names. */
    private void everyFlowReachesItsTracedTarget(int firstPort, int count) {
        Map<Integer, String> names = targetsByFwmark();
        Map<String, Integer> perTarget = new HashMap<>();
        for (int port = firstPort; port < firstPort + count; port++) {
            String expected = names.get(traced(port));
            String answered = topology.ask(PORT, port, 2000);
            if (answered == null) {
                answered = topology.ask(PORT, port, 2000); // once more: a first packet may wait for ARP
            }
            assertThat(answered).as("the flow from port %d (traced to %s)", port, expected).isEqualTo(expected);
            perTarget.merge(answered, 1, Integer::sum);
        }
        System.out.printf("%d flows from port %d answered as traced: %s%n", count, firstPort, perTarget);
    }

    private long matched(int n) {
        Matcher matches = MATCHES.matcher(http(server(n), "GET", "/v1/flows", null).body());
        return matches.find() ? Long.parseLong(matches.group(1)) : 0;
    }

    private long packets(int n, String reason) {
        Matcher counted = Pattern.compile("slb_packets_total\\{reason=\"" + reason + "\"[^}]*} (\\d+)")
                .matcher(http(server(n), "GET", "/metrics", null).body());
        return counted.find() ? (long) Double.parseDouble(counted.group(1)) : 0;
    }

    private long heldEverywhere() {
        long held = 0;
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            held += packets(n, "fragment_held");
        }
        return held;
    }

    /** @return the packets waiting for a verdict in every instance's queues (queue_total, the third column) */
    private long queuedEverywhere() {
        long queued = 0;
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            for (String queue : topology.lb(n).exec("cat", "/proc/net/netfilter/nfnetlink_queue").lines().toList()) {
                String[] columns = queue.trim().split("\\s+");
                if (columns.length > 2) {
                    queued += Long.parseLong(columns[2]);
                }
            }
        }
        return queued;
    }

    /** @return how many rules send fragments to other instances of the tier (tables 4097..4099) from lb{@code n} */
    private long tierRules(int n) {
        return topology.lb(n).ip("rule", "show").lines().filter(rule -> rule.matches(".* lookup 409[7-9] .*"))
                .count();
    }

    @Test
    void theFragmentsOfADatagramReachingDifferentInstancesAreDecidedByItsOwnerAndReachOneTarget() {
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            start(n, "--tier-address", "169.254.100." + n, "--tier-interface", "ext-vlan0");
        }
        for (int t = 1; t <= 4; t++) {
            assertThat(http(server(1), "POST", "/v1/targets", register(t)).statusCode()).isEqualTo(201);
        }
        awaitInStep(4);
        awaitTrue(READY, () -> {
            for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
                if (tierRules(n) != TrenchTopology.INSTANCES - 1) {
                    return false;
                }
            }
            return true;
        }, () -> "the tier's rules are not in every instance: " + describe());
        Cli status = Cli.run("status", "--server", server(2).toString());
        assertThat(status.out()).contains("tier:      lb1 169.254.100.1 (fwmark 4097), lb2 169.254.100.2 (fwmark 4098),"
                + " lb3 169.254.100.3 (fwmark 4099)");
        // Every datagram's first fragment reaches lb1 and its later ones lb2; whichever instance owns it (by its
        // addresses) gets them all, holds the later ones until the first comes, and sends them to one target.
        int sources = 8;
        topology.splitFragments(1, 2, sources);
        Map<Integer, String> names = targetsByFwmark();
        Map<String, Integer> perTarget = new HashMap<>();
        for (int s = 0; s < sources; s++) {
            String source = "10.9.0." + (10 + s);
            for (int port = 51000; port < 51005; port++) {
                String expected = names.get(traced(source, port)) + " 3000";
                String answered = topology.askLarge(source, PORT, port, 3000, 2000);
                if (answered == null) {
                    answered = topology.askLarge(source, PORT, port, 3000, 2000); // a first one may wait for ARP
                }
                assertThat(answered).as("the 3000-byte datagram from %s:%d", source, port).isEqualTo(expected);
                perTarget.merge(answered, 1, Integer::sum);
            }
        }
        System.out.printf("%d fragmented datagrams answered as traced: %s%n", sources * 5, perTarget);
        // Each instance owns some of the datagrams: lb1 sent first fragments to the others, lb2 later ones; lb2 held
        // the later fragments of its own datagrams until lb1 sent it their first; lb3 got both kinds from the others.
        assertThat(packets(1, "forwarded_to_owner")).as("first fragments lb1 sent to their owners").isPositive();
        assertThat(packets(2, "forwarded_to_owner")).as("later fragments lb2 sent to their owners").isPositive();
        assertThat(packets(2, "fragment_held")).as("later fragments lb2 held for their first").isPositive();
        assertThat(packets(1, "fragment_followed")).as("later fragments lb1 got from lb2").isPositive();
        assertThat(packets(3, "load_balanced")).as("first fragments lb3 got from lb1").isPositive();
        assertThat(packets(3, "fragment_followed") + packets(3, "fragment_held"))
                .as("later fragments lb3 got from lb2").isPositive();

        // A datagram whose first fragment never comes: its owner holds the later ones in the kernel's queue, then
        // drops them when they expire (2 s) instead of leaving them there.
        topology.dropFirstFragments();
        long heldBefore = heldEverywhere();
        assertThat(topology.askLarge("10.9.0.10", PORT, 52000, 3000, 500)).as("no first fragment, no answer").isNull();
        awaitTrue(Duration.ofSeconds(5), () -> heldEverywhere() > heldBefore, () -> "no later fragment was held");
        awaitTrue(Duration.ofSeconds(10), () -> queuedEverywhere() == 0,
                () -> "packets still in the kernel's queues: " + queuedEverywhere());

        // An instance that stops cleanly leaves the tier: the others stop sending it fragments.
        instances[3].close();
        instances[3] = null;
        awaitTrue(READY, () -> tierRules(1) == 1 && !topology.lb(1).ip("rule", "show").contains("lookup 4099"),
                () -> "lb1 still routes lb3's fragments: " + topology.lb(1).ip("rule", "show"));
    }

    @Test
    void threeInstancesSendEveryFlowToOneTargetAndKeepInStepThroughACrashAndAPartition() {
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            start(n);
        }
        // Targets registered through different instances.
        for (int t = 1; t <= 4; t++) {
            int through = 1 + (t - 1) % TrenchTopology.INSTANCES;
            assertThat(http(server(through), "POST", "/v1/targets", register(t)).statusCode())
                    .as("target %d through lb%d", t, through).isEqualTo(201);
        }
        awaitInStep(4);
        JsonNode targets = get(server(1), "/v1/targets");
        assertThat(get(server(2), "/v1/targets")).isEqualTo(targets);
        assertThat(get(server(3), "/v1/targets")).isEqualTo(targets);
        // The same table (each instance may be at a later sequence by then: its own observations).
        JsonNode table = get(server(1), "/v1/streams/stream-a-i/maglev");
        for (int n = 2; n <= TrenchTopology.INSTANCES; n++) {
            JsonNode other = get(server(n), "/v1/streams/stream-a-i/maglev");
            assertThat(other.path("lookup")).as("lb%d's lookup", n).isEqualTo(table.path("lookup"));
            assertThat(other.path("active")).as("lb%d's active slots", n).isEqualTo(table.path("active"));
        }

        everyFlowReachesItsTracedTarget(20000, FLOWS);
        for (int n = 1; n <= TrenchTopology.INSTANCES; n++) {
            assertThat(matched(n)).as("flows the gateway sent through lb%d", n).isPositive();
        }

        // lb2 crashes; a target is disabled through lb1 meanwhile; lb2 starts again and catches up.
        instances[2].kill();
        assertThat(http(server(1), "POST", "/v1/targets/stream-a-i/4/disable", null).statusCode()).isEqualTo(200);
        start(2);
        awaitInStep(3);
        assertThat(get(server(2), "/v1/targets")).isEqualTo(get(server(1), "/v1/targets"));

        // lb3 is cut off from etcd: it refuses writes with the reason and keeps forwarding with the state it has.
        cutOff.cut();
        HttpResponse<String> refused = http(server(3), "POST", "/v1/targets/stream-a-i/4/enable", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("store_unavailable").contains("etcd");
        awaitTrue(Duration.ofSeconds(10), () -> http(server(3), "GET", "/readyz", null).statusCode() == 503,
                () -> "lb3 still ready while cut off");
        assertThat(http(server(3), "GET", "/readyz", null).body()).contains("etcd");
        long before = matched(3);
        everyFlowReachesItsTracedTarget(30000, 300);
        assertThat(matched(3)).as("flows through lb3 while it was cut off").isGreaterThan(before);

        // A change made through lb1 meanwhile reaches lb3 once it can reach etcd again.
        assertThat(http(server(1), "POST", "/v1/targets/stream-a-i/4/enable", null).statusCode()).isEqualTo(200);
        cutOff.heal();
        awaitInStep(4);
        assertThat(get(server(3), "/v1/targets")).isEqualTo(get(server(1), "/v1/targets"));
        everyFlowReachesItsTracedTarget(40000, 200);
    }
}
