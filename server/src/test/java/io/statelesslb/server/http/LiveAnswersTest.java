package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of docs/openapi.yaml, asked of a running daemon: each request is one the document allows, and
 * each answer (status, content type, body) is one it describes, checked by an OpenAPI validator.
 */
class LiveAnswersTest {

    /** The watches: their bodies are event streams that do not end, checked by their own tests. */
    private static final Set<String> STREAMS = Set.of("GET /v1/targets/watch", "GET /v1/events/watch",
            "GET /v1/trace/follow");

    @TempDir
    Path work;

    private TestDaemon slb;
    private OpenApiInteractionValidator validator;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> exercised = new TreeSet<>();
    private final List<String> templates = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        slb = TestDaemon.seeded(work.resolve("data"));
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(
                Files.readString(OpenApiTest.DOCUMENT)).build();
        new YAMLMapper().readTree(OpenApiTest.DOCUMENT.toFile()).path("paths").fieldNames()
                .forEachRemaining(templates::add);
    }

    @AfterEach
    void stop() {
        if (slb != null) {
            slb.close();
        }
    }

    @Test
    void everyOperationAnswersAsTheDocumentSays() throws IOException {
        exchange("GET", "/healthz", null, 200);
        exchange("GET", "/readyz", null, 200);
        exchange("GET", "/metrics", null, 200);
        exchange("GET", "/v1/status", null, 200);
        exchange("GET", "/v1/gateways/status", null, 200);
        exchange("GET", "/v1/targets", null, 200);
        exchange("GET", "/v1/targets?stream=stream-a-i", null, 200);
        exchange("GET", "/v1/targets?stream=no-such", null, 404);
        exchange("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":5,\"ips\":[\"172.16.0.20\"]}",
                201);
        exchange("POST", "/v1/targets?wait=true",
                "{\"stream\":\"stream-a-i\",\"identifier\":6,\"ips\":[\"172.16.0.21\"]}", 201);
        exchange("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":0,\"ips\":[\"172.16.0.22\"]}",
                422);
        exchange("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":\"x\",\"ips\":[]}", 400);
        exchange("GET", "/v1/targets/stream-a-i/5", null, 200);
        exchange("GET", "/v1/targets/stream-a-i/99", null, 404);
        exchange("POST", "/v1/targets/stream-a-i/5/disable", null, 200);
        exchange("POST", "/v1/targets/stream-a-i/5/enable", null, 200);
        exchange("POST", "/v1/targets/stream-a-i/5/enable", null, 200);
        exchange("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":5,\"ips\":[\"172.16.0.20\"]}",
                200);
        exchange("POST", "/v1/targets/stream-a-i/99/enable", null, 422);
        exchange("DELETE", "/v1/targets/stream-a-i/5", null, 200);
        exchange("GET", "/v1/vips", null, 200);
        exchange("GET", "/v1/no-such-kind", null, 404);
        exchange("GET", "/v1/vips/vip-a-1-v4", null, 200);
        exchange("GET", "/v1/vips/no-such", null, 404);
        exchange("PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.1/32\"}", 201);
        exchange("PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.2/32\"}", 200);
        exchange("PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.2/32\"}", 200);
        exchange("PUT", "/v1/vips/vip-y", "{\"address\":\"300.0.0.1/32\"}", 422);
        exchange("DELETE", "/v1/vips/vip-x", null, 200);
        exchange("DELETE", "/v1/vips/vip-a-1-v4", null, 422);
        exchange("GET", "/v1/events?limit=3", null, 200);
        exchange("POST", "/v1/events", "{\"type\":\"VipDefined\",\"name\":\"vip-z\",\"address\":\"30.0.0.9/32\"}",
                201);
        exchange("POST", "/v1/events", "{\"type\":\"DriftObserved\"}", 409);
        exchange("GET", "/v1/config", null, 200);
        exchange("GET", "/v1/config?targets=true", null, 200);
        exchange("POST", "/v1/config?dryRun=true", Files.readString(TestDaemon.SEED_CONFIG), 200);
        exchange("POST", "/v1/config", "trenches: [", 400);
        exchange("GET", "/v1/streams/stream-a-i/maglev", null, 200);
        exchange("GET", "/v1/streams/no-such/maglev", null, 404);
        exchange("GET", "/v1/flows", null, 200);
        exchange("GET", "/v1/flows?view=definitions", null, 200);
        exchange("GET", "/v1/dataplane", null, 200);
        exchange("GET", "/v1/dataplane?source=model", null, 200);
        exchange("GET", "/v1/dataplane?source=other", null, 400);
        exchange("GET", "/v1/diff", null, 200);
        exchange("POST", "/v1/trace", "{\"protocol\":\"tcp\",\"source\":\"192.0.2.7\",\"sourcePort\":40000,"
                + "\"destination\":\"20.0.0.1\",\"destinationPort\":4000}", 200);
        exchange("POST", "/v1/trace", "{\"protocol\":\"udp\",\"source\":\"192.0.2.7\",\"sourcePort\":40000,"
                + "\"destination\":\"99.0.0.1\",\"destinationPort\":4000}", 200);
        exchange("POST", "/v1/trace", "{\"packet\":\"zz\"}", 400);

        assertThat(problems).as("answers that differ from docs/openapi.yaml").isEmpty();
        List<String> documented = new ArrayList<>();
        new YAMLMapper().readTree(OpenApiTest.DOCUMENT.toFile()).path("paths").fields().forEachRemaining(path ->
                path.getValue().fieldNames().forEachRemaining(method -> {
                    String operation = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
                    if (!method.equals("parameters") && !STREAMS.contains(operation)) {
                        documented.add(operation);
                    }
                }));
        assertThat(exercised).as("documented operations asked").containsExactlyInAnyOrderElementsOf(documented);
    }

    /** Sends a request, checks its answer's status, and checks request and answer against the document. */
    private void exchange(String method, String target, String body, int status) {
        HttpResponse<String> response = slb.http(method, target, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, target, response.body()).isEqualTo(status);
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        if (target.contains("?")) {
            for (String parameter : target.substring(target.indexOf('?') + 1).split("&")) {
                String[] pair = parameter.split("=", 2);
                request.withQueryParam(pair[0], URLDecoder.decode(pair.length > 1 ? pair[1] : "",
                        StandardCharsets.UTF_8));
            }
        }
        if (body != null) {
            request.withContentType(path.equals("/v1/config") ? "application/yaml" : "application/json")
                    .withBody(body);
        }
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode())
                .withContentType(response.headers().firstValue("content-type").orElse(""))
                .withBody(response.body());
        ValidationReport report = validator.validate(request.build(), answer.build());
        // A request deliberately outside the document (a bad value, to see the refusal) is not itself a problem.
        report.getMessages().stream().filter(message -> status < 400 || !message.getKey().startsWith("validation"
                        + ".request"))
                .forEach(message -> problems.add(method + " " + target + " -> " + response.statusCode() + ": "
                        + message.getKey() + ": " + message.getMessage()));
        exercised.add(method + " " + template(path));
    }

    /** @return the documented path {@code path} falls under: of those that match, the one with most literal parts */
    private String template(String path) {
        String best = null;
        int bestLiterals = -1;
        for (String template : templates) {
            String[] parts = template.substring(1).split("/");
            String[] segments = path.substring(1).split("/");
            if (parts.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].equals(segments[i])) {
                    literals++;
                } else {
                    matches = parts[i].startsWith("{");
                }
            }
            if (matches && literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return best == null ? "(undocumented) " + path : best;
    }
}
