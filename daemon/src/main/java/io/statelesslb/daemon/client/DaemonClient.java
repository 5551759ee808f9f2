package io.statelesslb.daemon.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A blocking client of the daemon's HTTP API, for the {@code slb} commands: JSON in, JSON out, errors as
 * {@link DaemonException} with the daemon's problems, an unreachable daemon as {@link DaemonUnreachableException}.
 */
public final class DaemonClient {

    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the bearer token for requests that change something, or null */
    public DaemonClient(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /** @return the server's base URI */
    public URI server() {
        return server;
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET(), HttpResponse.BodyHandlers.ofString()));
    }

    /** @return the body as text, for responses that are not wrapped (such as nfqlb flow-list) */
    public String getText(String path) {
        return send(request(path).GET(), HttpResponse.BodyHandlers.ofString()).body();
    }

    public JsonNode post(String path, Object body) {
        return json(send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(body))), HttpResponse.BodyHandlers.ofString()));
    }

    /** Posts a text body (a YAML configuration). */
    public JsonNode postText(String path, String contentType, String body) {
        return json(send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString()));
    }

    public JsonNode delete(String path) {
        return json(send(request(path).DELETE(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * Follows a Server-Sent Events stream until {@code handler} returns false or the stream ends.
     *
     * @param handler receives each event's name, id and data
     */
    public void watch(String path, EventHandler handler) {
        HttpResponse<Stream<String>> response = send(request(path).header("Accept", "text/event-stream").GET()
                .timeout(Duration.ofDays(365)), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            String event = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0 && !handler.on(event, id, data.toString())) {
                        return;
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
            }
        }
    }

    /** Receives one Server-Sent Event; @return whether to go on */
    @FunctionalInterface
    public interface EventHandler {
        boolean on(String event, String id, String data);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
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

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DaemonException(response.statusCode(), "unexpected", "the daemon answered something other"
                    + " than JSON: " + e.getMessage(), List.of());
        }
    }

    private static String encode(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body does not encode: " + e.getMessage(), e);
        }
    }
}
