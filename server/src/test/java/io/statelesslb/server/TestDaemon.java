package io.statelesslb.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** A daemon on the simulator with an ephemeral port, driven the way users drive it: over HTTP. */
public final class TestDaemon implements AutoCloseable {

    public static final Path SEED_CONFIG = Path.of("..", "examples", "seed-scenario.yaml");

    /** The seed's conduit interfaces and gateway sessions, as the kernel would report them. */
    public static final List<String> SEED_MACHINE = List.of(
            "{\"type\":\"InterfaceUp\",\"name\":\"conduit-a--d7c4\",\"addresses\":[\"172.16.0.4/24\",\"fd00::4/64\"],"
                    + "\"mtu\":1400}",
            "{\"type\":\"InterfaceUp\",\"name\":\"conduit-a--f75b\",\"addresses\":[\"172.16.1.4/24\","
                    + "\"fd00:0:0:1::4/64\"],\"mtu\":1500}",
            "{\"type\":\"GatewaySessionUp\",\"gateway\":\"gateway-a-v4\"}",
            "{\"type\":\"GatewaySessionUp\",\"gateway\":\"gateway-a-v6\"}");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final Daemon daemon;
    public final URI server;
    private final String token;

    private TestDaemon(Daemon daemon, String token) {
        this.daemon = daemon;
        this.server = URI.create("http://127.0.0.1:" + daemon.address().getPort());
        this.token = token;
    }

    public static TestDaemon start(DaemonOptions options) {
        return new TestDaemon(Daemon.start(options.withListen("127.0.0.1", 0)), null);
    }

    /** @return the test view of a daemon started by the caller */
    public static TestDaemon wrap(Daemon daemon) {
        return new TestDaemon(daemon, null);
    }

    /**
     * @return a daemon on the seed's configuration in {@code dataDir}, its machine's interfaces and sessions reported
     */
    public static TestDaemon seeded(Path dataDir) {
        TestDaemon daemon = start(DaemonOptions.defaults(dataDir).withConfig(SEED_CONFIG));
        daemon.seedMachine();
        return daemon;
    }

    /** @return a view of the same daemon whose requests carry {@code token} */
    public TestDaemon withToken(String token) {
        return new TestDaemon(daemon, token);
    }

    public HttpResponse<String> http(String method, String path, String body) {
        return http(server, token, method, path, body);
    }

    /**
     * A request to the daemon at {@code server} (one of this JVM's or another process's), with {@code token} when
     * it is not null; a body is sent as JSON (as YAML to /v1/config).
     */
    public static HttpResponse<String> http(URI server, String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", path.startsWith("/v1/config") ? "application/yaml" : "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = http("GET", path, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** Waits (on the event watch) for an event of {@code type} after {@code after}; @return its event object */
    public JsonNode awaitEvent(long after, String type) {
        HttpRequest watch = HttpRequest.newBuilder(server.resolve("/v1/events/watch?after=" + after)).build();
        try (Stream<String> lines = HTTP.send(watch, HttpResponse.BodyHandlers.ofLines()).body()) {
            String data = lines.dropWhile(line -> !line.equals("event: " + type)).skip(1).findFirst()
                    .orElseThrow(() -> new AssertionError("the watch ended before a " + type));
            return json(data.substring("data: ".length())).path("event");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the dataplane matches the state (as /readyz says), for at most 20 s. */
    public void awaitApplied() {
        daemon.controller().applied(daemon.sequence()).block(Duration.ofSeconds(20));
    }

    /** Reports the seed's interfaces and gateway sessions. */
    public void seedMachine() {
        for (String event : SEED_MACHINE) {
            HttpResponse<String> response = http("POST", "/v1/events", event);
            if (response.statusCode() != 201) {
                throw new AssertionError(event + ": " + response.statusCode() + " " + response.body());
            }
        }
    }

    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
