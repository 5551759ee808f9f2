package io.statelesslb.cli;

import static io.statelesslb.server.Polling.awaitTrue;
import static io.statelesslb.server.Polling.pause;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slb run --backend kernel} in its own process, serving the seed's topology in network namespaces with real
 * servers behind it ({@link SeedTopology}), driven as an operator would: real TCP, UDP and ICMP from the client,
 * answered by the target {@code slb trace} predicts; a conduit going down and up; rules, routes, set elements and
 * chains deleted by hand and repaired; a restart after drift; a target that stops answering and comes back; a
 * second instance started beside the first; ping; the path MTU; a translated port; the counters against the
 * traffic; and the outage of a restart, with and without {@code --queue-bypass}. Needs root; skipped elsewhere with
 * the reason.
 *
 * <p>Measurements are printed to the test's output ({@code target/surefire-reports/*-output.txt}).
 */
class SeedTopologyKernelTest {

    private static final String VIP = "20.0.0.1";
    private static final String VIP6 = "2000::1";
    /** The seed's targets: identifier, addresses (the configuration registers them). */
    private static final Map<String, Integer> IDENTIFIERS = Map.of("172.16.0.6", 69, "172.16.0.8", 62,
            "172.16.1.6", 44, "172.16.1.8", 73);
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Pattern COUNTED = Pattern.compile("counter packets (\\d+) bytes \\d+");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static SeedTopology topology;
    private static Path routerFiles;
    private static GatewayRouter router;

    @TempDir
    Path work;

    private final List<DaemonProcess> daemons = new ArrayList<>();

    @BeforeAll
    static void buildTheTopology() throws IOException {
        topology = SeedTopology.build("slbi");
        topology.serve(4000);
        topology.serve(8080);
        routerFiles = Files.createTempDirectory("slbi-gateway");
        router = new GatewayRouter(topology.gateway(), routerFiles);
        router.start();
    }

    @AfterAll
    static void tearDownTheTopology() throws IOException {
        if (router != null) {
            router.close();
        }
        if (topology != null) {
            topology.close();
        }
        if (routerFiles != null) {
            try (var files = Files.walk(routerFiles)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            }
        }
    }

    @BeforeEach
    void startFromAnEmptyKernel() {
        cleanup();
    }

    @AfterEach
    void stopEveryDaemon() {
        daemons.forEach(DaemonProcess::close);
        // A daemon killed on purpose leaves its BIRD running (the next start would take it over): not across tests.
        for (String pid : topology.lb().pids()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
        cleanup();
    }

    private void cleanup() {
        Cli run = Cli.run("cleanup", "--netns", topology.lb().name());
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    // --- The daemon -------------------------------------------------------------------------------------------

    private Path configuration() throws IOException {
        Path file = work.resolve("trench.yaml");
        if (!Files.exists(file)) {
            String seed = Files.readString(TestDaemon.SEED_CONFIG);
            String config = seed
                    .replace("    # destinationPortNats:\n    #   - ", "    destinationPortNats:\n      - ")
                    .replace("    destinationPorts: [\"4000\"]       # ports or ranges, such as \"4000-4010\"\n",
                            "    destinationPorts: [\"4000\", \"80\"]\n")
                    .replace("gateways:\n", "  - name: flow-a-z-udp\n    stream: stream-a-i\n    priority: 1\n"
                            + "    protocols: [udp]\n    destinationPorts: [\"4000\"]\n"
                            + "    vips: [vip-a-1-v4, vip-a-1-v6]\n\ngateways:\n")
                    + "\ntargets:\n"
                    + "  - {stream: stream-a-i, identifier: 69, ips: [172.16.0.6, \"fd00::6\"]}\n"
                    + "  - {stream: stream-a-i, identifier: 62, ips: [172.16.0.8, \"fd00::8\"]}\n"
                    + "  - {stream: stream-a-i, identifier: 44, ips: [172.16.1.6, \"fd00:0:0:1::6\"]}\n"
                    + "  - {stream: stream-a-i, identifier: 73, ips: [172.16.1.8, \"fd00:0:0:1::8\"]}\n";
            assertThat(config).contains("destinationPortNats:\n      - {protocol: tcp").contains("flow-a-z-udp");
            Files.writeString(file, config);
        }
        return file;
    }

    /** Starts {@code slb run --backend kernel} on the topology's load balancer, on a data directory of its own. */
    private DaemonProcess start(String dataDir, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--data-dir", work.resolve(dataDir).toString(),
                "--backend", "kernel", "--netns", topology.lb().name(), "--listen", "127.0.0.1:0", "--config",
                configuration().toString()));
        args.addAll(List.of(flags));
        DaemonProcess daemon = DaemonProcess.start(work.resolve(dataDir + "-" + daemons.size() + ".log"),
                args.toArray(String[]::new));
        daemons.add(daemon);
        return daemon;
    }

    /** Starts a daemon and waits for every target, both BGP sessions, and the VIPs at the gateway. */
    private DaemonProcess startReady(String... flags) throws IOException {
        DaemonProcess daemon = start("data", flags);
        assertThat(daemon.server()).as(daemon.output()).isNotNull();
        awaitReady(daemon);
        return daemon;
    }

    private static void awaitReady(DaemonProcess daemon) {
        awaitTrue(READY, () -> activeTargets(daemon.server()) == 4 && gatewaysUp(daemon.server())
                        && announced() && settled(daemon.server()) && tracesToATarget(daemon.server()),
                () -> "targets: " + Cli.on(daemon.server(), "targets").out() + "\ngateways: "
                        + Cli.on(daemon.server(), "gateways").out() + "\ngateway's BIRD:\n" + router.protocols()
                        + "\n" + daemon.output());
    }

    /**
     * @return whether a client's first packet is traced to a target: the engine decides by the state the views show
     *         (a start's first seconds may still move targets: probing reports its first verdicts)
     */
    private static boolean tracesToATarget(URI server) {
        JsonNode trace = Cli.json(server, "trace", "--protocol", "tcp", "--source", "10.9.0.2", "--sport", "40999",
                "--destination", VIP, "--dport", "4000");
        return trace.path("outcome").asText().equals("TO_TARGET");
    }

    /** @return whether both gateways' sessions are up, as the daemon reports them */
    private static boolean gatewaysUp(URI server) {
        JsonNode gateways = TestDaemon.json(http(server, "GET", "/v1/gateways/status", null).body());
        int up = 0;
        for (JsonNode gateway : gateways) {
            up += gateway.path("up").asBoolean() ? 1 : 0;
        }
        return up == 2;
    }

    /** @return whether both gateways' BFD sessions are up, as the load balancer's BIRD reports them */
    private static boolean bfdUp(URI server) {
        JsonNode gateways = TestDaemon.json(http(server, "GET", "/v1/gateways/status", null).body());
        int up = 0;
        for (JsonNode gateway : gateways) {
            up += gateway.path("bfd").asText().equals("Up") ? 1 : 0;
        }
        return up == 2;
    }

    /** @return whether the gateway routes both VIPs to the load balancer, as its BIRD learnt them */
    private static boolean announced() {
        return router.learned("-4").contains("20.0.0.1 via 169.254.100.1 dev gw")
                && router.learned("-6").contains("2000::1 via 100:100::1 dev gw");
    }

    /** @return whether the daemon is ready and its dataplane holds every event logged (a target just activated too) */
    private static boolean settled(URI server) {
        JsonNode status = TestDaemon.json(http(server, "GET", "/v1/status", null).body());
        return status.path("ready").asBoolean()
                && status.path("appliedSequence").asLong() == status.path("sequence").asLong();
    }

    private static int activeTargets(URI server) {
        int active = 0;
        for (JsonNode target : Cli.json(server, "targets")) {
            active += target.path("status").asText().equals("active") ? 1 : 0;
        }
        return active;
    }

    private static HttpResponse<String> http(URI server, String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // --- Traffic ----------------------------------------------------------------------------------------------

    /** @return the target {@code slb trace} says a client's first packet from {@code localPort} goes to */
    private static String predicted(URI server, String protocol, String vip, int port, int localPort) {
        JsonNode trace = Cli.json(server, "trace", "--protocol", protocol, "--source",
                vip.contains(":") ? "fd09::2" : "10.9.0.2", "--sport", Integer.toString(localPort), "--destination",
                vip, "--dport", Integer.toString(port));
        assertThat(trace.path("outcome").asText()).as(() -> trace + "\ntargets: " + Cli.on(server, "targets").out()
                + "\nevents: " + Cli.on(server, "events", "--limit", "10000").out()).isEqualTo("TO_TARGET");
        return topology.targetAt(trace.path("nextHop").asText()).name();
    }

    /**
     * Opens {@code count} TCP connections to {@code vip:port} from distinct ports.
     *
     * @return the target that answered each, in order (null for none)
     */
    private static List<String> connections(String vip, int port, int firstLocalPort, int count) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String answer = topology.connect(vip, port, firstLocalPort + i, 3000);
            answers.add(answer == null ? null : answer.substring(0, answer.indexOf(':')));
        }
        return answers;
    }

    /** @return how long {@code condition} took to hold, polled every 10 ms, at most {@code timeout} */
    private static Duration timeUntil(Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            pause(10);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static long sumOfCounters(String listing) {
        long sum = 0;
        Matcher counted = COUNTED.matcher(listing);
        while (counted.find()) {
            sum += Long.parseLong(counted.group(1));
        }
        return sum;
    }

    private static long metric(URI server, String line) {
        String metrics = http(server, "GET", "/metrics", null).body();
        return metrics.lines().filter(l -> l.startsWith(line + " ")).mapToLong(l -> (long) Double.parseDouble(
                l.substring(line.length() + 1).trim())).sum();
    }

    private static long metricSum(URI server, String name) {
        String metrics = http(server, "GET", "/metrics", null).body();
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    // --- The tests --------------------------------------------------------------------------------------------

    @Test
    void everyConnectionIsAnsweredByTheTargetSlbTracePredictsAndTheCountersMatchTheTraffic() throws Exception {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        // What the client sends to the VIPs, counted on its way out.
        topology.client().exec("nft", "add", "table", "inet", "sent");
        topology.client().exec("nft", "add", "chain", "inet", "sent", "out",
                "{ type filter hook output priority 0; }");
        topology.client().exec("nft", "add", "rule", "inet", "sent", "out", "ip", "daddr", VIP, "counter");
        topology.client().exec("nft", "add", "rule", "inet", "sent", "out", "ip6", "daddr", VIP6, "counter");
        try {
            Map<String, Integer> byTarget = new HashMap<>();
            for (int localPort = 42000; localPort < 42040; localPort++) {
                String expected = predicted(server, "tcp", VIP, 4000, localPort);
                String answer = topology.connect(VIP, 4000, localPort, 3000);
                assertThat(answer).as("connection from port %d", localPort).isEqualTo(expected + ":4000");
                byTarget.merge(expected, 1, Integer::sum);
            }
            assertThat(byTarget).as("40 connections over the four targets").hasSize(4);
            for (int localPort = 42100; localPort < 42110; localPort++) {
                assertThat(topology.connect(VIP6, 4000, localPort, 3000)).as("IPv6 from port %d", localPort)
                        .isEqualTo(predicted(server, "tcp", VIP6, 4000, localPort) + ":4000");
            }
            for (int localPort = 42200; localPort < 42220; localPort++) {
                assertThat(topology.ask(VIP, 4000, localPort, 3000)).as("UDP from port %d", localPort)
                        .isEqualTo(predicted(server, "udp", VIP, 4000, localPort) + ":4000");
            }

            // A live trace shows a real packet with its real ingress and queue.
            CompletableFuture<Cli> follower = CompletableFuture.supplyAsync(() -> Cli.on(server, "trace", "--follow",
                    "--flow", "flow-a-z-udp", "--count", "1", "-o", "json"));
            // Datagrams until the follower has seen one: it subscribes a moment after it starts, however fast the
            // answers come.
            for (int attempt = 0; attempt < 100 && !follower.isDone(); attempt++) {
                topology.ask(VIP, 4000, 42300, 200);
                pause(100);
            }
            JsonNode live = TestDaemon.json(follower.get(10, TimeUnit.SECONDS).out());
            assertThat(live.path("ingress").asText()).isEqualTo("ext-vlan0");
            assertThat(live.path("queue").asInt(-1)).isBetween(0, 3);
            assertThat(live.path("target").asInt()).isEqualTo(IDENTIFIERS.get(topology.targets().stream()
                    .filter(t -> t.name().equals(predicted(server, "udp", VIP, 4000, 42300))).findFirst().get()
                    .ipv4()));

            pause(500); // the last FINs and ACKs
            long sent = sumOfCounters(topology.client().exec("nft", "list", "chain", "inet", "sent", "out"));
            String ruleset = topology.lb().exec("nft", "list", "chain", "inet", "meridio-nfqlb", "nfqlb");
            long queued = sumOfCounters(ruleset);
            long verdicts = metric(server, "slb_nfqueue_verdicts_total");
            long decided = metricSum(server, "slb_packets_total");
            long balanced = metric(server, "slb_packets_total{reason=\"load_balanced\"}");
            long toTargets = metricSum(server, "slb_target_packets_total");
            long flows = metricSum(server, "slb_flow_matches_total");
            System.out.printf("counters: client sent %d, nft queued %d, verdicts %d, decided %d, load-balanced %d,"
                    + " per target %d, per flow %d%n", sent, queued, verdicts, decided, balanced, toTargets, flows);
            assertThat(queued).as("every packet the client sent to a VIP was queued").isEqualTo(sent);
            assertThat(verdicts).as("and given a verdict").isEqualTo(sent);
            assertThat(decided).isEqualTo(sent);
            assertThat(balanced).isEqualTo(sent);
            assertThat(toTargets).isEqualTo(sent);
            assertThat(flows).isEqualTo(sent);
            JsonNode flowList = TestDaemon.json(http(server, "GET", "/v1/flows", null).body());
            long matches = 0;
            for (JsonNode flow : flowList) {
                matches += flow.path("matches_count").asLong();
            }
            assertThat(matches).as("nfqlb flow-list's matches_count").isEqualTo(sent);
        } finally {
            topology.client().exec("nft", "delete", "table", "inet", "sent");
        }
    }

    @Test
    void aConduitGoingDownLosesItsTargetsAndComingBackGetsEveryPathBack() throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        try {
            topology.lb().ip("link", "set", "conduit-a--f75b", "down");
            // The two behind the conduit leave the Maglev table (real traffic checks the rest, not a trace).
            awaitTrue(READY, () -> activeTargets(server) == 2, () -> Cli.on(server, "targets").out()
                    + Cli.on(server, "events", "--limit", "10000").out());
            assertThat(connections(VIP, 4000, 43000, 20)).as("only the targets behind the conduit that is up")
                    .containsOnly("t1", "t2");
        } finally {
            topology.lb().ip("link", "set", "conduit-a--f75b", "up");
            // The kernel dropped the link's IPv6 address; whoever owns the interface puts it back.
            topology.lb().ip("addr", "replace", "fd00:0:0:1::4/64", "dev", "conduit-a--f75b", "nodad");
        }
        awaitReady(daemon);
        assertThat(topology.lb().ip("route", "show", "table", "5044"))
                .isEqualTo("default via 172.16.1.6 dev conduit-a--f75b proto 115\n");
        assertThat(topology.lb().ip("route", "show", "table", "5073"))
                .isEqualTo("default via 172.16.1.8 dev conduit-a--f75b proto 115\n");
        assertThat(new HashSet<>(connections(VIP, 4000, 43100, 40))).as("every target again")
                .containsExactlyInAnyOrder("t1", "t2", "t3", "t4");
    }

    @Test
    void whatIsDeletedByHandIsRepairedWithinASecond() throws IOException {
        DaemonProcess daemon = startReady();
        String rules = topology.lb().ip("rule");
        Matcher rule44 = Pattern.compile("(\\d+):\\s+from all fwmark 0x13b4 lookup 5044").matcher(rules);
        assertThat(rule44.find()).as(rules).isTrue();
        Map<String, Duration> repaired = new LinkedHashMap<>();
        repaired.put("ip rule del pref " + rule44.group(1), repair(() -> topology.lb().ip("rule", "del", "pref",
                rule44.group(1)), () -> topology.lb().ip("rule").contains("lookup 5044")));
        repaired.put("ip route del default table 5073", repair(() -> topology.lb().ip("route", "del", "default",
                "table", "5073"), () -> !topology.lb().ip("route", "show", "table", "5073").isBlank()));
        repaired.put("nft delete element ... ipv4-vips { 20.0.0.1 }", repair(() -> topology.lb().exec("nft",
                "delete", "element", "inet", "meridio-nfqlb", "ipv4-vips", "{ 20.0.0.1 }"), () -> topology.lb()
                .exec("nft", "list", "set", "inet", "meridio-nfqlb", "ipv4-vips").contains("20.0.0.1")));
        repaired.put("nft delete chain inet meridio-nfqlb nfqlb", repair(() -> topology.lb().exec("nft", "delete",
                "chain", "inet", "meridio-nfqlb", "nfqlb"), () -> topology.lb().exec("nft", "list", "chains")
                .contains("chain nfqlb {")));
        repaired.put("nft flush table inet meridio-nat", repair(() -> topology.lb().exec("nft", "flush", "table",
                "inet", "meridio-nat"), () -> topology.lb().exec("nft", "list", "table", "inet", "meridio-nat")
                .contains("tcp dport set 8080")));
        repaired.forEach((change, took) -> System.out.printf("repaired %s in %d ms%n", change, took.toMillis()));
        assertThat(repaired.values()).as("%s", repaired).allSatisfy(took ->
                assertThat(took).isLessThan(Duration.ofSeconds(1)));
        JsonNode events = Cli.json(daemon.server(), "events", "--limit", "10000");
        long drifts = 0;
        for (JsonNode event : events) {
            drifts += event.path("event").path("type").asText().equals("DriftObserved") ? 1 : 0;
        }
        assertThat(drifts).as("each change made behind the daemon's back is recorded").isGreaterThanOrEqualTo(5);
        assertThat(new HashSet<>(connections(VIP, 4000, 44000, 40))).containsExactlyInAnyOrder("t1", "t2", "t3",
                "t4");
    }

    private static Duration repair(Runnable change, BooleanSupplier repaired) {
        change.run();
        return timeUntil(Duration.ofSeconds(15), repaired);
    }

    @Test
    void aRestartAfterDriftLeavesOneOfEverythingAndARegistrationWorks() throws IOException {
        DaemonProcess first = startReady();
        first.kill();
        // While no daemon runs: a rule deleted, a stray route and rule of ours left, as a crashed run would.
        topology.lb().ip("rule", "del", "fwmark", "0x13c6");
        topology.lb().ip("route", "add", "default", "via", "172.16.0.9", "dev", "conduit-a--d7c4", "table", "5001",
                "proto", "115");
        topology.lb().ip("rule", "add", "pref", "90", "fwmark", "0x1389", "lookup", "5001", "proto", "115");

        DaemonProcess second = start("data");
        awaitReady(second);
        String rules = topology.lb().ip("rule");
        for (int table : List.of(5044, 5062, 5069, 5073)) {
            assertThat(rules.lines().filter(line -> line.contains("lookup " + table + " ")).count())
                    .as("rules to table %d in\n%s", table, rules).isEqualTo(1);
        }
        assertThat(rules).doesNotContain("lookup 5001");
        assertThat(topology.lb().ip("route", "show", "table", "5001")).isBlank();

        Cli unregister = Cli.on(second.server(), "unregister", "--stream", "stream-a-i", "--id", "62", "--wait");
        assertThat(unregister.exitCode()).as(unregister.err()).isZero();
        Cli register = Cli.on(second.server(), "register", "--stream", "stream-a-i", "--id", "62", "172.16.0.8",
                "fd00::8", "--wait");
        assertThat(register.exitCode()).as(register.err()).isZero();
        assertThat(register.out()).contains("; active, fwmark 5062");
        awaitReady(second);
        assertThat(topology.lb().ip("route", "show", "table", "5062"))
                .isEqualTo("default via 172.16.0.8 dev conduit-a--d7c4 proto 115\n");
        assertThat(new HashSet<>(connections(VIP, 4000, 45000, 40))).containsExactlyInAnyOrder("t1", "t2", "t3",
                "t4");
    }

    @Test
    void aTargetThatStopsAnsweringLeavesWithinThreeSecondsAndComesBackAsSoonWithoutSendingAnything()
            throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        SeedTopology.Target t1 = topology.targets().get(0);
        Duration lost;
        Duration back;
        try {
            t1.unplug();
            lost = timeUntil(Duration.ofSeconds(15), () -> !topology.lb().ip("rule").contains("lookup 5069"));
            JsonNode pending = null;
            for (JsonNode target : Cli.json(server, "targets")) {
                pending = target.path("identifier").asInt() == 69 ? target : pending;
            }
            assertThat(pending).isNotNull();
            assertThat(pending.path("status").asText()).isEqualTo("pending");
            assertThat(pending.toString()).as("the pending reason names the failed neighbour").contains("172.16.0.6")
                    .contains("does not answer");
        } finally {
            t1.plugIn();
        }
        back = timeUntil(Duration.ofSeconds(15), () -> topology.lb().ip("rule").contains("lookup 5069"));
        System.out.printf("target 172.16.0.6 lost after %d ms, back after %d ms%n", lost.toMillis(),
                back.toMillis());
        assertThat(lost).isLessThan(Duration.ofSeconds(3));
        assertThat(back).isLessThan(Duration.ofSeconds(3));
        awaitReady(daemon);
    }

    @Test
    void aSecondInstanceIsRefusedWithoutTouchingTheKernel() throws IOException {
        DaemonProcess first = startReady();
        Map<String, String> before = topology.lbKernel();
        DaemonProcess second = start("other-data");
        assertThat(second.exitCode(Duration.ofSeconds(60))).as(second.output()).isNotZero();
        assertThat(second.output()).contains("queue");
        assertThat(topology.lbKernel()).as("the kernel as the first instance keeps it").isEqualTo(before);
        assertThat(first.alive()).isTrue();
        assertThat(new HashSet<>(connections(VIP, 4000, 46000, 40))).containsExactlyInAnyOrder("t1", "t2", "t3",
                "t4");
    }

    @Test
    void pingToAVipIsAnsweredByATargetWithPromiscuousPing() throws IOException {
        DaemonProcess plain = startReady();
        assertThat(topology.client().call(() -> InetAddress.getByName(VIP).isReachable(1000)))
                .as("without promiscuous ping no flow takes ICMP").isFalse();
        plain.close();
        startReady("--promiscuous-ping");
        assertThat(topology.client().call(() -> InetAddress.getByName(VIP).isReachable(2000))).isTrue();
        assertThat(topology.client().call(() -> InetAddress.getByName(VIP6).isReachable(2000))).isTrue();
    }

    @Test
    void aDatagramLargerThanAConduitsMtuGetsItsIcmpErrorBackAtTheClient() throws IOException {
        DaemonProcess daemon = startReady();
        // A source port whose flow goes to a target behind the 1400-byte conduit.
        int localPort = 47000;
        while (!List.of("t1", "t2").contains(predicted(daemon.server(), "udp", VIP, 4000, localPort))) {
            localPort++;
        }
        int port = localPort;
        String route = topology.client().call(() -> {
            try (DatagramSocket socket = new DatagramSocket(port)) {
                // 1500 bytes with IP and UDP headers, don't-fragment (Linux's default path MTU discovery).
                byte[] payload = new byte[1472];
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(VIP), 4000));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                String got = "";
                while (System.nanoTime() < deadline && !got.contains("mtu 1400")) {
                    Thread.sleep(50);
                    got = topology.client().ip("route", "get", VIP);
                }
                return got;
            }
        });
        assertThat(route).as("the client learnt the path MTU from the load balancer's ICMP error")
                .contains("mtu 1400");
    }

    @Test
    void aClientsConnectionToVipPort80IsServedByTheTargetsServerOn8080() throws IOException {
        DaemonProcess daemon = startReady();
        for (int localPort = 48000; localPort < 48010; localPort++) {
            String expected = predicted(daemon.server(), "tcp", VIP, 80, localPort);
            assertThat(topology.connect(VIP, 80, localPort, 3000)).as("from port %d", localPort)
                    .isEqualTo(expected + ":8080");
        }
        assertThat(topology.connect(VIP6, 80, 48100, 3000)).endsWith(":8080");
        String listed = topology.lb().exec("nft", "list", "table", "inet", "meridio-nat");
        assertThat(listed).containsPattern("tcp dport 80 counter packets [1-9]\\d* bytes \\d+ tcp dport set 8080")
                .containsPattern("tcp sport 8080 counter packets [1-9]\\d* bytes \\d+ tcp sport set 80");
    }

    // --- Gateways: BIRD on both sides ------------------------------------------------------------------------

    @Test
    void theSessionsComeUpTheGatewayLearnsTheVipsAndRepliesLeaveByTheRouteBirdLearnt() throws IOException {
        long started = System.nanoTime();
        DaemonProcess daemon = start("data");
        awaitTrue(READY, () -> gatewaysUp(daemon.server()), () -> Cli.on(daemon.server(), "gateways").out()
                + "\n" + router.protocols() + daemon.output());
        long up = System.nanoTime();
        awaitReady(daemon);
        System.out.printf("BGP sessions up %d ms after the daemon started%n",
                TimeUnit.NANOSECONDS.toMillis(up - started));
        // The seed's egress lines, from the real kernel, written by BIRD.
        assertThat(topology.lb().ip("route", "show", "table", "4096"))
                .isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
        assertThat(topology.lb().ip("-6", "route", "show", "table", "4096"))
                .isEqualTo("default via 100:100::150 dev ext-vlan0 proto bird metric 32 pref medium\n");
        assertThat(topology.lb().ip("rule")).contains("100:\tfrom 20.0.0.1 lookup 4096 proto 115");
        // A client behind the gateway: the gateway knows the VIPs from BGP alone, the replies go out by table 4096.
        assertThat(topology.connect(VIP, 4000, 44400, 3000)).endsWith(":4000");
        assertThat(topology.connect(VIP6, 4000, 44401, 3000)).endsWith(":4000");
        // A session may still be settling (BIRD imports the default route a moment after it is established).
        Pattern established = Pattern.compile("gateway-a-v4 +bgp +169\\.254\\.100\\.150 +ext-vlan0 +Established"
                + " +\\S+ +Up +1  20\\.0\\.0\\.1/32");
        Pattern establishedV6 = Pattern.compile("gateway-a-v6 +bgp +100:100::150 +ext-vlan0 +Established +\\S+ +Up +1"
                + "  2000::1/128");
        awaitTrue(Duration.ofSeconds(15), () -> {
            String view = Cli.on(daemon.server(), "gateways").out();
            return established.matcher(view).find() && establishedV6.matcher(view).find();
        }, () -> Cli.on(daemon.server(), "gateways").out() + "\n" + router.protocols() + daemon.output());
        Cli gateways = Cli.on(daemon.server(), "gateways");
        assertThat(gateways.exitCode()).as(gateways.out()).isZero();
        JsonNode v6 = TestDaemon.json(Cli.on(daemon.server(), "gateways", "-o", "json").out()).get(1);
        assertThat(v6.path("name").asText()).isEqualTo("gateway-a-v6");
        assertThat(v6.path("announced").toString()).isEqualTo("[\"2000::1/128\"]");
        assertThat(v6.path("routesLearned").asInt()).isEqualTo(1);
    }

    @Test
    void theVipsAreAnnouncedOnlyWhileATargetCanTakeThem() throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        for (int id : List.of(44, 62, 69, 73)) {
            Cli unregister = Cli.on(server, "unregister", "--stream", "stream-a-i", "--id", Integer.toString(id));
            assertThat(unregister.exitCode()).as(unregister.err()).isZero();
        }
        Duration withdrawn = timeUntil(Duration.ofSeconds(10), () -> router.learned("-4").isBlank()
                && router.learned("-6").isBlank());
        assertThat(gatewaysUp(server)).as("the sessions stay up: only the announcements go").isTrue();
        assertThat(topology.lb().ip("route", "show", "table", "4096")).as("replies could still leave")
                .contains("proto bird");
        long registered = System.nanoTime();
        Cli register = Cli.on(server, "register", "--stream", "stream-a-i", "--id", "69", "172.16.0.6", "fd00::6");
        assertThat(register.exitCode()).as(register.err()).isZero();
        Duration announced = timeUntil(Duration.ofSeconds(15), () -> router.learned("-4").contains("20.0.0.1")
                && router.learned("-6").contains("2000::1"));
        System.out.printf("VIPs withdrawn at the gateway %d ms after the last target left; announced again %d ms"
                + " after the first target registered%n", withdrawn.toMillis(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registered));
        assertThat(announced).isLessThan(Duration.ofSeconds(15));

        // A daemon that stops withdraws first: the gateway forgets the VIPs at once, not after a hold time.
        daemon.close();
        Duration forgotten = timeUntil(Duration.ofSeconds(5), () -> router.learned("-4").isBlank()
                && router.learned("-6").isBlank());
        System.out.printf("daemon stopped: the gateway forgot the VIPs %d ms after it exited%n", forgotten.toMillis());
        assertThat(topology.lb().ip("route", "show", "table", "4096")).as("BIRD took its routes with it").isBlank();
    }

    @Test
    void aGatewayWhoseBirdDiesIsDroppedAndTakenBackWhenItReturns() throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        try {
            router.kill();
            // Its kernel closes its TCP connections: the sessions end at once, before BFD would say anything.
            Duration lost = timeUntil(Duration.ofSeconds(10), () -> !topology.lb().ip("route", "show", "table",
                    "4096").contains("169.254.100.150"));
            Duration recorded = timeUntil(Duration.ofSeconds(10), () -> Cli.on(server, "events", "--limit", "1000")
                    .out().contains("GatewaySessionDown"));
            System.out.printf("gateway's BIRD killed: its route gone after %d ms, GatewaySessionDown recorded %d ms"
                    + " later%n", lost.toMillis(), recorded.toMillis());
            assertThat(lost).isLessThan(Duration.ofSeconds(3));
            assertThat(topology.lb().ip("-6", "route", "show", "table", "4096")).isBlank();
        } finally {
            router.start();
        }
        awaitGatewayBack(server, "gateway's BIRD restarted", 44500);
    }

    @Test
    void aGatewayThatFallsSilentIsDroppedWithinBfdsDetectionTimeAndTakenBackWhenItAnswers() throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        // Only a BFD session that is up can tell: after a start its sessions come up a moment after BGP's.
        awaitTrue(READY, () -> bfdUp(server), () -> "BFD not up: " + http(server, "GET", "/v1/gateways/status", null)
                .body());
        TestNamespaceFirewall silence = new TestNamespaceFirewall(topology.gateway());
        Duration lost;
        try {
            // The gateway hangs: it answers nothing, closes nothing. Only BFD (3 x 300 ms) can tell.
            silence.dropEverythingFrom("169.254.100.1", "100:100::1");
            lost = timeUntil(Duration.ofSeconds(10), () -> !topology.lb().ip("route", "show", "table", "4096")
                    .contains("169.254.100.150") && topology.lb().ip("-6", "route", "show", "table", "4096")
                    .isBlank());
            Duration recorded = timeUntil(Duration.ofSeconds(10), () -> !gatewaysUp(server));
            System.out.printf("gateway silent: its routes gone after %d ms (BFD: 3 x 300 ms), the sessions down in"
                    + " the state %d ms later%n", lost.toMillis(), recorded.toMillis());
            assertThat(lost).as("BFD detects in 900 ms").isBetween(Duration.ofMillis(500), Duration.ofMillis(2500));
        } finally {
            silence.lift();
        }
        awaitGatewayBack(server, "gateway answering again", 44700);
    }

    /** Waits for both sessions, the learned route and the announcements, says how long it took, and connects. */
    private static void awaitGatewayBack(URI server, String after, int localPort) {
        Duration back = timeUntil(Duration.ofSeconds(30), () -> gatewaysUp(server) && announced()
                && topology.lb().ip("route", "show", "table", "4096").contains("169.254.100.150"));
        System.out.printf("%s: sessions, route and announcements back after %d ms%n", after, back.toMillis());
        assertThat(topology.connect(VIP, 4000, localPort, 3000)).endsWith(":4000");
    }

    @Test
    void staticGatewaysGuardedByBfdGiveTheDefaultRouteWhileTheirBfdIsUp() throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        for (String[] gateway : List.of(new String[] {"gateway-a-v4", "169.254.100.150"},
                new String[] {"gateway-a-v6", "100:100::150"})) {
            HttpResponse<String> redefined = http(server, "PUT", "/v1/gateways/" + gateway[0] + "?wait",
                    "{\"address\":\"" + gateway[1] + "\",\"interfaceName\":\"ext-vlan0\",\"protocol\":\"static\","
                            + "\"bfd\":true}");
            assertThat(redefined.statusCode()).as(redefined.body()).isIn(200, 201);
        }
        // A static gateway is told of the VIPs by its operator: nothing is announced to it.
        topology.gateway().ip("route", "replace", "20.0.0.1/32", "via", "169.254.100.1");
        topology.gateway().ip("-6", "route", "replace", "2000::1/128", "via", "100:100::1");
        TestNamespaceFirewall silence = new TestNamespaceFirewall(topology.gateway());
        try {
            awaitTrue(READY, () -> gatewaysUp(server) && settled(server), () -> Cli.on(server, "gateways").out());
            assertThat(Cli.on(server, "gateways").out()).contains("configured").contains(" Up ");
            assertThat(topology.lb().ip("route", "show", "table", "4096"))
                    .isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
            assertThat(topology.connect(VIP, 4000, 44800, 3000)).endsWith(":4000");
            silence.dropEverythingFrom("169.254.100.1", "100:100::1");
            Duration lost = timeUntil(Duration.ofSeconds(10), () -> !topology.lb().ip("route", "show", "table",
                    "4096").contains("169.254.100.150"));
            timeUntil(Duration.ofSeconds(10), () -> !gatewaysUp(server));
            System.out.printf("static gateway silent: its route gone after %d ms (BFD)%n", lost.toMillis());
            assertThat(lost).isLessThan(Duration.ofMillis(2500));
            silence.lift();
            Duration back = timeUntil(Duration.ofSeconds(15), () -> topology.lb().ip("route", "show", "table",
                    "4096").contains("169.254.100.150") && gatewaysUp(server));
            System.out.printf("static gateway answering again: its route back after %d ms%n", back.toMillis());
        } finally {
            topology.gateway().ip("route", "del", "20.0.0.1/32");
            topology.gateway().ip("-6", "route", "del", "2000::1/128");
            if (topology.gateway().exec("nft", "list", "tables").contains("slb-test-silence")) {
                silence.lift();
            }
        }
    }

    @Test
    void ourBirdKilledIsRestartedAndRecordedAndEverythingComesBack() throws IOException {
        DaemonProcess daemon = startReady();
        URI server = daemon.server();
        long pid = birdPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Duration recorded = timeUntil(Duration.ofSeconds(10), () -> Cli.on(server, "events", "--limit", "1000")
                .out().contains("RoutingDaemonRestarted"));
        Duration back = timeUntil(Duration.ofSeconds(30), () -> gatewaysUp(server) && announced()
                && birdPid() != pid);
        System.out.printf("our BIRD killed: restart recorded after %d ms, sessions back after %d ms more%n",
                recorded.toMillis(), back.toMillis());
        assertThat(topology.lb().ip("route", "show", "table", "4096"))
                .isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
        assertThat(topology.connect(VIP, 4000, 44600, 3000)).endsWith(":4000");
    }

    /** @return the pid of the daemon's BIRD, as its pid file says (0 while there is none) */
    private long birdPid() {
        try {
            return Long.parseLong(Files.readString(work.resolve("data").resolve("bird").resolve("bird.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Test
    void theOutageOfARestartIsMeasuredWithAndWithoutQueueBypass() throws IOException {
        for (boolean bypass : List.of(false, true)) {
            DaemonProcess daemon = bypass ? startReady("--queue-bypass") : startReady();
            Outage outage = new Outage(topology, 49000 + (bypass ? 1 : 0));
            outage.start();
            pause(500);
            long killed = System.nanoTime();
            daemon.kill();
            DaemonProcess restarted = bypass ? start("data", "--queue-bypass") : start("data");
            long listening = System.nanoTime();
            awaitTrue(READY, () -> outage.answeredSince(listening), restarted::output);
            pause(300);
            Duration gap = outage.stop();
            System.out.printf("restart %s --queue-bypass: no answer for %d ms (kill to listening %d ms); %d of %d"
                            + " requests unanswered%n", bypass ? "with" : "without", gap.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(listening - killed), outage.unanswered(), outage.sent());
            assertThat(gap).isLessThan(Duration.ofSeconds(30));
            restarted.close();
            cleanup();
        }
    }

    /** UDP requests every 10 ms from one socket (so to one target), recording when answers come. */
    private static final class Outage {
        private final DatagramSocket socket;
        private volatile boolean running = true;
        private final List<long[]> requests = new CopyOnWriteArrayList<>();
        private Thread thread;

        Outage(SeedTopology topology, int localPort) {
            this.socket = topology.clientSocket(localPort);
        }

        void start() {
            thread = new Thread(() -> {
                byte[] request = "who".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                DatagramPacket reply = new DatagramPacket(new byte[256], 256);
                try {
                    socket.setSoTimeout(10);
                    InetAddress vip = InetAddress.getByName(VIP);
                    while (running) {
                        long sent = System.nanoTime();
                        socket.send(new DatagramPacket(request, request.length, vip, 4000));
                        boolean answered = false;
                        try {
                            socket.receive(reply);
                            answered = true;
                        } catch (java.net.SocketTimeoutException e) {
                            // no answer within 10 ms
                        }
                        requests.add(new long[] {sent, answered ? 1 : 0});
                        long wait = TimeUnit.MILLISECONDS.toNanos(10) - (System.nanoTime() - sent);
                        if (wait > 0) {
                            pause(TimeUnit.NANOSECONDS.toMillis(wait));
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "outage");
            thread.setDaemon(true);
            thread.start();
        }

        boolean answeredSince(long nanos) {
            return requests.stream().anyMatch(r -> r[0] > nanos && r[1] == 1);
        }

        /** @return the longest time between two answered requests */
        Duration stop() {
            running = false;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.close();
            long longest = 0;
            long last = -1;
            for (long[] request : requests) {
                if (request[1] == 1) {
                    if (last >= 0) {
                        longest = Math.max(longest, request[0] - last);
                    }
                    last = request[0];
                }
            }
            return Duration.ofNanos(longest);
        }

        long unanswered() {
            return requests.stream().filter(r -> r[1] == 0).count();
        }

        int sent() {
            return requests.size();
        }
    }
}
