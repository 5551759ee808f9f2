package io.statelesslb.eventlog.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real etcd cluster for tests: members on loopback ports of their own, data in a temporary directory, killed
 * (SIGKILL) and restarted one by one for the failure cases, all stopped and removed on close. Tests that need it
 * are skipped, with the package to install, where there is no {@code etcd} (Debian's {@code etcd-server}).
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Pattern LEADER = Pattern.compile("\"leader\":\"?(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("\"member_id\":\"?(\\d+)");

    private final Path dir;
    /** The certificate, key and CA the members serve TLS with on a second port, and ask clients for; or null. */
    private final Path[] tls;
    private final List<Member> members = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final int tlsPort;
        Process process;

        Member(String name, int clientPort, int peerPort, int tlsPort) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.tlsPort = tlsPort;
        }

        URI client() {
            return URI.create("http://127.0.0.1:" + clientPort);
        }
    }

    private EtcdCluster(Path dir, Path[] tls) {
        this.dir = dir;
        this.tls = tls;
    }

    /** @return why etcd cannot be run here, if it cannot */
    public static Optional<String> unavailable() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(path -> Files.isExecutable(Path.of(path, "etcd")));
        return found ? Optional.empty() : Optional.of("etcd is not installed (apt-get install etcd-server)");
    }

    /** Starts {@code size} members and waits until the cluster has a leader. */
    public static EtcdCluster start(int size) throws IOException {
        return start(size, null);
    }

    /**
     * Starts one member that also serves TLS with {@code cert} and {@code key} on a port of its own ({@link
     * #tlsEndpoints()}), where it asks each client for a certificate {@code ca} signed.
     */
    public static EtcdCluster startWithTls(Path cert, Path key, Path ca) throws IOException {
        return start(1, new Path[] {cert, key, ca});
    }

    private static EtcdCluster start(int size, Path[] tls) throws IOException {
        EtcdCluster cluster = new EtcdCluster(Files.createTempDirectory("slb-etcd-"), tls);
        try {
            for (int i = 0; i < size; i++) {
                cluster.members.add(new Member("m" + i, freePort(), freePort(), freePort()));
            }
            for (int i = 0; i < size; i++) {
                cluster.launch(i, "new");
            }
            cluster.leader();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void launch(int index, String state) throws IOException {
        Member member = members.get(index);
        String initial = members.stream().map(m -> m.name + "=http://127.0.0.1:" + m.peerPort)
                .collect(Collectors.joining(","));
        Path log = dir.resolve(member.name + ".log");
        List<String> command = new ArrayList<>(List.of("etcd", "--name", member.name,
                "--data-dir", dir.resolve(member.name).toString(),
                "--listen-client-urls", member.client() + (tls == null ? "" : ",https://127.0.0.1:" + member.tlsPort),
                "--advertise-client-urls", member.client().toString(),
                "--listen-peer-urls", "http://127.0.0.1:" + member.peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + member.peerPort,
                "--initial-cluster", initial, "--initial-cluster-state", state,
                "--initial-cluster-token", dir.getFileName().toString(),
                "--heartbeat-interval", "50", "--election-timeout", "500"));
        if (tls != null) {
            command.addAll(List.of("--cert-file", tls[0].toString(), "--key-file", tls[1].toString(),
                    "--trusted-ca-file", tls[2].toString(), "--client-cert-auth"));
        }
        member.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** @return the client URLs of every member */
    public List<URI> endpoints() {
        return members.stream().map(Member::client).toList();
    }

    /** @return the members' TLS client URLs (started with {@link #startWithTls}) */
    public List<URI> tlsEndpoints() {
        return members.stream().map(member -> URI.create("https://127.0.0.1:" + member.tlsPort)).toList();
    }

    /** @return the number of members */
    public int size() {
        return members.size();
    }

    /** Kills a member with SIGKILL, as a crash would. */
    public void kill(int index) {
        Process process = members.get(index).process;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a killed member again on its data. */
    public void restart(int index) throws IOException {
        launch(index, "existing");
    }

    /**
     * Turns etcd's authentication on with a {@code root} user of {@code password}, through the members' JSON
     * gateway (as {@code etcdctl user add root; etcdctl auth enable} would).
     */
    public void enableAuthentication(String password) {
        URI client = members.get(0).client();
        for (String[] call : new String[][] {{"/v3/auth/role/add", "{\"name\":\"root\"}"},
                {"/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"" + password + "\"}"},
                {"/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}"}, {"/v3/auth/enable", "{}"}}) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(client.resolve(call[0]))
                        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(call[1])).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(call[0] + ": " + answer.statusCode() + " " + answer.body());
                }
            } catch (IOException e) {
                throw new IllegalStateException(call[0] + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** @return the index of the member that leads now */
    public int leader() {
        Duration wait = Duration.ofSeconds(30);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < members.size(); i++) {
                Optional<long[]> status = status(i);
                if (status.isPresent() && status.get()[0] == status.get()[1]) {
                    return i;
                }
            }
            pause();
        }
        throw new IllegalStateException("no etcd member leads after " + wait + " (see " + dir + "/*.log)");
    }

    /** @return {member id, leader id} as the member's maintenance status says */
    private Optional<long[]> status(int index) {
        Member member = members.get(index);
        if (member.process == null || !member.process.isAlive()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(member.client()
                    .resolve("/v3/maintenance/status")).timeout(Duration.ofSeconds(1))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            Matcher leader = LEADER.matcher(response.body());
            Matcher self = MEMBER.matcher(response.body());
            if (response.statusCode() == 200 && leader.find() && self.find()) {
                return Optional.of(new long[] {Long.parseUnsignedLong(self.group(1)),
                        Long.parseUnsignedLong(leader.group(1))});
            }
        } catch (IOException e) {
            // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every member and removes the data. */
    @Override
    public void close() {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).process != null) {
                kill(i);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
