package io.statelesslb.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.statelesslb.api.codec.Json;
import io.statelesslb.api.http.ConfigResult;
import io.statelesslb.api.http.DataplaneView;
import io.statelesslb.api.http.DiffView;
import io.statelesslb.api.http.GatewayStatusView;
import io.statelesslb.api.http.LiveTraceView;
import io.statelesslb.api.http.MaglevView;
import io.statelesslb.api.http.RecordedView;
import io.statelesslb.api.http.StatusView;
import io.statelesslb.api.http.TargetSnapshot;
import io.statelesslb.api.http.TargetView;
import io.statelesslb.api.http.TraceRequest;
import io.statelesslb.api.http.TraceView;
import io.statelesslb.domain.command.RegisterTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A typed, blocking client of the daemon's HTTP API (docs/openapi.yaml), for the {@code slb} commands and for
 * programs: one method per operation, the API's own types in and out. A refusal is a {@link DaemonException} with
 * every problem the daemon named; no answer at all is a {@link DaemonUnreachableException}.
 */
public final class DaemonClient {

    /** Answers are read leniently: a newer daemon may say more than this client knows. */
    private static final ObjectReader READER = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI server;
    private final String token;
    // HTTP/1.1: one request per exchange, no cleartext upgrade to negotiate.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param server the daemon's base URI, such as {@code http://127.0.0.1:8470}
     * @param token  the bearer token for requests that change something, or null
     */
    public DaemonClient(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /** @return the server's base URI */
    public URI server() {
        return server;
    }

    /** {@code GET /v1/status}. */
    public StatusView status() {
        return read(get("/v1/status"), StatusView.class);
    }

    /** {@code GET /v1/gateways/status}: every gateway with its session as the routing daemon reports it. */
    public List<GatewayStatusView> gateways() {
        return read(get("/v1/gateways/status"), new TypeReference<>() {
        });
    }

    /** {@code GET /v1/targets[?stream=S]}: every target (of one stream) with its status. */
    public List<TargetView> targets(String stream) {
        return read(get("/v1/targets" + (stream == null ? "" : "?stream=" + encode(stream))), new TypeReference<>() {
        });
    }

    /** {@code POST /v1/targets[?wait]}: registers a target; with {@code wait}, answers once it is applied. */
    public RecordedView register(RegisterTarget target, boolean wait) {
        return read(send("POST", "/v1/targets" + (wait ? "?wait" : ""), json(target), "application/json"),
                RecordedView.class);
    }

    /** {@code DELETE /v1/targets/{stream}/{identifier}[?wait]}. */
    public RecordedView unregister(String stream, int identifier, boolean wait) {
        return read(send("DELETE", target(stream, identifier) + (wait ? "?wait" : ""), null, null),
                RecordedView.class);
    }

    /** {@code POST /v1/targets/{stream}/{identifier}/enable} (or {@code /disable}) {@code [?wait]}. */
    public RecordedView enable(String stream, int identifier, boolean enabled, boolean wait) {
        return read(send("POST", target(stream, identifier) + (enabled ? "/enable" : "/disable") + (wait ? "?wait"
                : ""), null, null), RecordedView.class);
    }

    /** {@code GET /v1/targets/{stream}/{identifier}}: one target with its status. */
    public TargetView targetStatus(String stream, int identifier) {
        return read(get(target(stream, identifier)), TargetView.class);
    }

    /**
     * {@code GET /v1/{kind}}: every object of a kind (trenches, conduits, streams, flows, vips, attractors,
     * gateways), each as the body that defines it.
     */
    public List<JsonNode> definitions(String kind) {
        return read(get("/v1/" + encode(kind) + (kind.equals("flows") ? "?view=definitions" : "")),
                new TypeReference<>() {
                });
    }

    /** {@code GET /v1/{kind}/{name}}: one object's definition. */
    public JsonNode definition(String kind, String name) {
        return read(get("/v1/" + encode(kind) + "/" + encode(name)), JsonNode.class);
    }

    /** {@code DELETE /v1/{kind}/{name}[?wait]}: deletes a configuration object. */
    public RecordedView delete(String kind, String name, boolean wait) {
        return read(send("DELETE", "/v1/" + encode(kind) + "/" + encode(name) + (wait ? "?wait" : ""), null, null),
                RecordedView.class);
    }

    /** {@code GET /v1/config[?targets]}: the state as a YAML configuration that {@code slb apply -f} takes back. */
    public String configuration(boolean targets) {
        return get("/v1/config" + (targets ? "?targets" : ""));
    }

    /** {@code GET /v1/streams/{name}/maglev}. */
    public MaglevView maglev(String stream) {
        return read(get("/v1/streams/" + encode(stream) + "/maglev"), MaglevView.class);
    }

    /** {@code GET /v1/flows}: the flows as {@code nfqlb flow-list} prints them (its JSON, as text). */
    public String flowList() {
        return get("/v1/flows");
    }

    /** {@code GET /v1/dataplane}. */
    public DataplaneView dataplane() {
        return read(get("/v1/dataplane"), DataplaneView.class);
    }

    /** {@code GET /v1/dataplane?source=model}: the plan of the state, rendered as the dataplane would be. */
    public DataplaneView model() {
        return read(get("/v1/dataplane?source=model"), DataplaneView.class);
    }

    /** {@code GET /v1/diff}: how the dataplane differs from the plan of the state. */
    public DiffView diff() {
        return read(get("/v1/diff"), DiffView.class);
    }

    /** {@code POST /v1/trace}. */
    public TraceView trace(TraceRequest request) {
        return read(send("POST", "/v1/trace", json(request), "application/json"), TraceView.class);
    }

    /**
     * {@code GET /v1/trace/follow[?flow=F&count=N&rate=R]}: the real packets the load balancer decides, live, until
     * {@code handler} says stop, {@code count} were received (0: no end) or the daemon ends the stream.
     *
     * @param flow the flow to follow, or null for every packet
     * @param rate at most this many traces per second, or null for the daemon's default
     */
    public void followTraces(String flow, int count, Integer rate, Watcher<LiveTraceView> handler) {
        StringBuilder query = new StringBuilder("?count=").append(count);
        if (flow != null) {
            query.append("&flow=").append(encode(flow));
        }
        if (rate != null) {
            query.append("&rate=").append(rate);
        }
        watch("/v1/trace/follow" + query, (event, data) -> !event.equals("trace")
                || handler.on(read(data, LiveTraceView.class)));
    }

    /** {@code GET /v1/events?after=SEQ&limit=N}: recorded events, oldest first. */
    public List<RecordedView> events(long after, int limit) {
        return read(get("/v1/events?after=" + after + "&limit=" + limit), new TypeReference<>() {
        });
    }

    /**
     * {@code POST /v1/config[?dryRun]}: makes the daemon match a YAML configuration.
     *
     * @param file the file's name, for the daemon's error messages
     */
    public ConfigResult applyConfiguration(String file, String yaml, boolean dryRun) {
        return read(send("POST", "/v1/config?file=" + encode(file) + (dryRun ? "&dryRun" : ""), yaml,
                "application/yaml"), ConfigResult.class);
    }

    /**
     * {@code GET /v1/events/watch?after=SEQ}: every event after {@code after}, then each new one, until
     * {@code handler} says stop or the stream ends.
     *
     * @throws DaemonException when the daemon ends the watch with an error (the watcher fell too far behind)
     */
    public void watchEvents(long after, Watcher<RecordedView> handler) {
        watch("/v1/events/watch?after=" + after, (event, data) -> handler.on(read(data, RecordedView.class)));
    }

    /**
     * {@code GET /v1/targets/watch[?stream=S]}: a snapshot of every target, then each target event, until
     * {@code handler} says stop or the stream ends.
     */
    public void watchTargets(String stream, Watcher<TargetSnapshot> snapshots, Watcher<RecordedView> changes) {
        watch("/v1/targets/watch" + (stream == null ? "" : "?stream=" + encode(stream)), (event, data) ->
                event.equals("snapshot") ? snapshots.on(read(data, TargetSnapshot.class))
                        : changes.on(read(data, RecordedView.class)));
    }

    /** Receives what a watch sends; @return whether to go on watching */
    @FunctionalInterface
    public interface Watcher<T> {
        boolean on(T value);
    }

    /** One Server-Sent Event's name and data; @return whether to go on */
    private interface Frames {
        boolean on(String event, String data);
    }

    private void watch(String path, Frames frames) {
        HttpResponse<Stream<String>> response = exchange(request(path).header("Accept", "text/event-stream").GET()
                .timeout(Duration.ofDays(365)), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            String event = "message";
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        if (event.equals("error")) {
                            throw DaemonException.of(503, data.toString());
                        }
                        if (!frames.on(event, data.toString())) {
                            return;
                        }
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
            }
        }
    }

    private String get(String path) {
        return exchange(request(path).GET(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return exchange(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<T> response;
        try {
            response = http.send(request.build(), handler);
        } catch (ConnectException e) {
            throw new DaemonUnreachableException(server);
        } catch (IOException e) {
            throw new DaemonUnreachableException(server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonUnreachableException(server, e);
        }
        if (response.statusCode() >= 400) {
            Object body = response.body();
            String text = body instanceof String s ? s : body instanceof Stream<?> stream
                    ? String.join("\n", stream.map(Object::toString).toList()) : "";
            throw DaemonException.of(response.statusCode(), text);
        }
        return response;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return READER.forType(type).readValue(json);
        } catch (IOException e) {
            throw unexpected(json, e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return READER.forType(type).readValue(json);
        } catch (IOException e) {
            throw unexpected(json, e);
        }
    }

    private static DaemonException unexpected(String json, IOException e) {
        return new DaemonException(200, "unexpected", "the daemon answered something this client does not read: "
                + e.getMessage().lines().findFirst().orElse("") + " (" + abbreviate(json) + ")", List.of());
    }

    private static String json(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body does not encode: " + e.getMessage(), e);
        }
    }

    private static String target(String stream, int identifier) {
        return "/v1/targets/" + encode(stream) + "/" + identifier;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
