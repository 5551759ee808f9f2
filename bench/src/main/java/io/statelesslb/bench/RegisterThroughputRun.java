package io.statelesslb.bench;

import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.server.Daemon;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP register throughput: CLIENTS concurrent clients, each registering and unregistering its own targets over
 * the API as fast as the daemon answers (every answer waits for the event's fsync). Reports requests per second
 * and the latency of each request.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.statelesslb.bench.RegisterThroughputRun [CLIENTS] [SECONDS]}
 */
public final class RegisterThroughputRun {

    private static final int TARGETS_PER_CLIENT = 6;

    private RegisterThroughputRun() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        if (clients * TARGETS_PER_CLIENT > DaemonBench.STREAMS * 100) {
            throw new IllegalArgumentException("at most " + DaemonBench.STREAMS * 100 / TARGETS_PER_CLIENT
                    + " clients");
        }
        Path dir = Files.createTempDirectory("slb-register-");
        Daemon daemon = DaemonBench.start(dir, 0);
        URI server = URI.create("http://127.0.0.1:" + daemon.address().getPort());
        try {
            load(server, clients, 5);
            Load load = load(server, clients, seconds);
            System.out.printf("HTTP register/unregister, %d clients, %d s: %.0f requests/s; latency %s%n", clients,
                    seconds, load.count / (double) seconds, DaemonBench.percentiles(load.latencies, load.count));
        } finally {
            daemon.close();
            Benchmarks.delete(dir);
        }
    }

    private record Load(long[] latencies, int count) {
    }

    private static Load load(URI server, int clients, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> samples = new ArrayList<>();
        int[] counts = new int[clients];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            long[] latencies = new long[2_000_000];
            samples.add(latencies);
            Thread thread = new Thread(() -> counts[client] = run(server, client, end, latencies), "client-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(samples.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        return new Load(all, total);
    }

    /** Registers and unregisters the client's own targets in turn until {@code end}; @return requests made */
    private static int run(URI server, int client, long end, long[] latencies) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int stream = client % DaemonBench.STREAMS;
        int count = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            int identifier = 1 + (client / DaemonBench.STREAMS) * TARGETS_PER_CLIENT + i % TARGETS_PER_CLIENT;
            HttpRequest request = i / TARGETS_PER_CLIENT % 2 == 0
                    ? HttpRequest.newBuilder(server.resolve("/v1/targets")).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"stream\":\"stream-" + stream + "\",\"identifier\":" + identifier + ",\"ips\":[\""
                                    + Scenarios.targetIpv4(stream, identifier) + "\"]}")).build()
                    : HttpRequest.newBuilder(server.resolve("/v1/targets/stream-" + stream + "/" + identifier))
                            .DELETE().build();
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 300) {
                    throw new IllegalStateException(request + ": " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                throw new IllegalStateException(request + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return count;
            }
            latencies[count++] = System.nanoTime() - sent;
        }
        return count;
    }
}
