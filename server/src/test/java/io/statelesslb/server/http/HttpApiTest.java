package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.statelesslb.server.Daemon;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's contract: what each bad request gets, and that it changes nothing; tokens; definitions; watching. */
class HttpApiTest {

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

    private void assertError(HttpResponse<String> response, int status, String error, String field, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = TestDaemon.json(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("problems").get(0).path("field").asText()).isEqualTo(field);
        assertThat(body.path("message").asText()).isEqualTo(message);
    }

    @Test
    void aChangeTheStateAlreadyHoldsIsAnsweredUnchangedAndRecordsNothing() {
        assertThat(slb.http("PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.1/32\"}").statusCode()).isEqualTo(201);
        assertThat(slb.http("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":7,"
                + "\"ips\":[\"172.16.0.7\"]}").statusCode()).isEqualTo(201);
        long sequence = slb.daemon.sequence();
        for (String[] again : new String[][] {{"PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.1/32\"}"},
                {"POST", "/v1/targets",
                        "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":[\"172.16.0.7\"]}"},
                {"POST", "/v1/targets/stream-a-i/7/enable", null}}) {
            HttpResponse<String> response = slb.http(again[0], again[1], again[2]);
            assertThat(response.statusCode()).as(again[1]).isEqualTo(200);
            JsonNode body = TestDaemon.json(response.body());
            assertThat(body.path("unchanged").asBoolean()).as(response.body()).isTrue();
            assertThat(body.path("sequence").asLong()).isEqualTo(sequence);
            assertThat(body.has("timestamp")).isFalse();
        }
        assertThat(TestDaemon.json(slb.http("POST", "/v1/targets/stream-a-i/7/enable?wait=true", null).body())
                .path("applied").asBoolean()).as("waited for: the dataplane has the state that holds it").isTrue();
        assertThat(slb.daemon.sequence()).as("nothing recorded").isEqualTo(sequence);
        // A real change still is one, and a change back too.
        assertThat(slb.http("POST", "/v1/targets/stream-a-i/7/disable", null).statusCode()).isEqualTo(200);
        assertThat(slb.daemon.sequence()).isEqualTo(sequence + 1);
        assertThat(TestDaemon.json(slb.http("POST", "/v1/targets/stream-a-i/7/disable", null).body())
                .path("unchanged").asBoolean()).isTrue();
        assertThat(slb.http("PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.2/32\"}").statusCode()).isEqualTo(200);
        assertThat(slb.daemon.sequence()).isEqualTo(sequence + 2);
        assertThat(slb.http("GET", "/metrics", null).body())
                .contains("slb_events_total{outcome=\"unchanged\",type=\"TargetEnabled\"} 2.0");
    }

    @Test
    void theLogKeepsWhoAskedForEachChange() {
        assertThat(slb.http("PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.1/32\"}").statusCode()).isEqualTo(201);
        JsonNode last = null;
        for (JsonNode event : slb.get("/v1/events?limit=10000")) {
            last = event;
        }
        assertThat(last.path("event").path("type").asText()).isEqualTo("VipDefined");
        assertThat(last.path("source").asText()).matches("API client 127\\.0\\.0\\.1:\\d+");
        // The seed's configuration file and machine, as their sources say.
        assertThat(slb.get("/v1/events?limit=1").get(0).path("source").asText())
                .isEqualTo("config file " + TestDaemon.SEED_CONFIG);
    }

    @Test
    void headAnswersAsGetWithoutTheBodyAndOptionsNamesTheMethods() {
        HttpResponse<String> get = slb.http("GET", "/v1/targets", null);
        HttpResponse<String> head = slb.http("HEAD", "/v1/targets", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(head.headers().firstValue("content-length"))
                .hasValue(Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(slb.http("HEAD", "/v1/targets/stream-a-i/999", null).statusCode()).isEqualTo(404);
        assertThat(slb.http("HEAD", "/metrics", null).headers().firstValue("content-type").orElseThrow())
                .startsWith("text/plain");
        // A watch is not started for HEAD: the answer ends at once.
        HttpResponse<String> watch = slb.http("HEAD", "/v1/events/watch", null);
        assertThat(watch.statusCode()).isEqualTo(200);
        assertThat(watch.headers().firstValue("content-type")).hasValue("text/event-stream");

        HttpResponse<String> options = slb.http("OPTIONS", "/v1/targets/stream-a-i/69", null);
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("allow")).hasValue("DELETE, GET, HEAD, OPTIONS");
        assertThat(slb.http("OPTIONS", "/v1/targets/stream-a-i/69/enable", null).headers().firstValue("allow"))
                .hasValue("OPTIONS, POST");
        assertError(slb.http("OPTIONS", "/v2/anything", null), 404, "not_found", "path",
                "no resource at /v2/anything (expected: a path from docs/openapi.yaml, such as /v1/targets)");
        long sequence = slb.daemon.sequence();
        assertThat(slb.http("HEAD", "/v1/events", null).statusCode()).isEqualTo(200);
        assertThat(slb.daemon.sequence()).as("reads record nothing").isEqualTo(sequence);
    }

    @Test
    void badRequestsAreRefusedWithTheFieldAndTheReasonAndChangeNothing() {
        long sequence = slb.daemon.sequence();
        assertError(slb.http("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":1,"
                + "\"ips\":[\"172.16.0.2\"],"
                + "\"weight\":3}"), 400, "unknown_field", "weight",
                "weight is not a field of this request (expected one of: identifier, ips, stream)");
        assertError(slb.http("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":\"one\"}"), 400,
                "malformed", "identifier", "identifier has the wrong type (expected: an integer)");
        assertError(slb.http("POST", "/v1/targets", "{\"stream\":"), 400, "malformed", "body",
                TestDaemon.json(slb.http("POST", "/v1/targets", "{\"stream\":").body()).path("message").asText());
        HttpResponse<String> rejected = slb.http("POST", "/v1/targets",
                "{\"stream\":\"stream-a-i\",\"identifier\":0,\"ips\":[\"300.1.1.1\",\"fd00::2\",\"fd00::3\"]}");
        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(TestDaemon.json(rejected.body()).path("problems")).extracting(p -> p.path("field").asText())
                .as("every problem, not just the first").hasSizeGreaterThanOrEqualTo(3)
                .contains("identifier", "ips[0]");
        assertError(slb.http("DELETE", "/v1/targets/stream-a-i/x", null), 400, "malformed", "identifier",
                "identifier=x (expected: the target's number within its stream, such as 3)");
        assertError(slb.http("PUT", "/v1/vips/vip-x", "{\"name\":\"vip-y\",\"address\":\"30.0.0.1/32\"}"), 400,
                "conflict", "name", "name=vip-y (expected: vip-x, the name in the path, or no name)");
        assertError(slb.http("GET", "/v1/streams/no-such/maglev", null), 404, "not_found", "name",
                "stream=no-such (expected: one of the defined streams: stream-a-i)");
        assertError(slb.http("PATCH", "/v1/targets", "{}"), 405, "method_not_allowed", "method",
                "PATCH /v1/targets (expected: GET, HEAD, OPTIONS or POST)");
        assertThat(slb.http("PATCH", "/v1/targets", "{}").headers().firstValue("allow"))
                .hasValue("GET, HEAD, OPTIONS, POST");
        assertError(slb.http("GET", "/v2/anything", null), 404, "not_found", "path",
                "no resource at /v2/anything (expected: a path from docs/openapi.yaml, such as /v1/targets)");
        assertError(slb.http("GET", "/v1/events?limit=0", null), 400, "malformed", "limit",
                "limit=0 (expected: an integer 1..10000)");
        assertError(slb.http("POST", "/v1/trace", "{\"protocol\":\"tcp\",\"source\":\"10.0.0.1\","
                + "\"destination\":\"2000::1\",\"destinationPort\":4000}"), 400, "malformed", "destination",
                "destination=2000::1 (expected: an address of the same family as source 10.0.0.1)");
        String large = "{\"stream\":\"" + "s".repeat(DaemonOptions.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertError(slb.http("POST", "/v1/targets", large), 413, "too_large", "body", "the body is larger than "
                + DaemonOptions.DEFAULT_MAX_BODY_BYTES + " bytes (expected: at most that; split large changes)");
        assertError(slb.http("POST", "/v1/events", "{\"type\":\"ApplyFailed\",\"operation\":\"x\",\"error\":\"y\","
                + "\"attempts\":1}"), 409, "recorded_by_controller", "type", "type=ApplyFailed (expected: an event from"
                + " outside; the controller records how the dataplane takes its operations itself)");
        assertThat(slb.daemon.sequence()).as("nothing was logged").isEqualTo(sequence);
        assertThat(slb.get("/v1/targets")).isEmpty();
    }

    @Test
    void definitionsReadBackAsTheyAreWrittenAndDeleteCleanly() {
        JsonNode flows = slb.get("/v1/flows?view=definitions");
        assertThat(flows).hasSize(1);
        HttpResponse<String> created = slb.http("PUT", "/v1/vips/vip-b-v4", "{\"address\":\"30.0.0.1/32\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(slb.get("/v1/vips/vip-b-v4").toString())
                .isEqualTo("{\"address\":\"30.0.0.1/32\",\"name\":\"vip-b-v4\"}");
        JsonNode flow = flows.get(0).deepCopy();
        ((ArrayNode) flow.path("vips")).add("vip-b-v4");
        HttpResponse<String> redefined = slb.http("PUT", "/v1/flows/flow-a-z-tcp?wait", flow.toString());
        assertThat(redefined.statusCode()).as(redefined.body()).isEqualTo(200);
        assertThat(slb.get("/v1/flows/flow-a-z-tcp")).isEqualTo(flow);
        assertThat(slb.http("GET", "/v1/flows", null).body()).contains("\"::ffff:30.0.0.1/128\"");
        HttpResponse<String> inUse = slb.http("DELETE", "/v1/vips/vip-b-v4", null);
        assertThat(inUse.statusCode()).isEqualTo(422);
        assertThat(TestDaemon.json(inUse.body()).path("message").asText()).contains("flow-a-z-tcp");
        assertThat(slb.get("/v1/conduits").toString())
                .isEqualTo("[{\"interfacePrefix\":\"conduit-a-\",\"name\":\"conduit-a\"}]");
        assertThat(slb.get("/v1/trenches").get(0).path("name").asText()).isEqualTo("trench-a");
        assertThat(slb.get("/v1/gateways")).hasSize(2);
        assertThat(slb.get("/v1/attractors")).hasSize(1);
        assertThat(slb.get("/v1/streams").get(0).path("maxTargets").asInt()).isEqualTo(100);
    }

    @Test
    void aConfigurationIsAppliedAsExactlyItsDifferences() throws IOException {
        String seed = Files.readString(TestDaemon.SEED_CONFIG);
        HttpResponse<String> unchanged = slb.http("POST", "/v1/config?file=seed.yaml", seed);
        assertThat(TestDaemon.json(unchanged.body()).path("events")).isEmpty();
        String moreTargets = seed.replace("maxTargets: 100 ", "maxTargets: 200 ");
        JsonNode dryRun = TestDaemon.json(slb.http("POST", "/v1/config?dryRun", moreTargets).body());
        assertThat(dryRun.path("events")).hasSize(1);
        assertThat(dryRun.path("events").get(0).path("type").asText()).isEqualTo("StreamDefined");
        assertThat(slb.get("/v1/streams").get(0).path("maxTargets").asInt()).as("a dry run changes nothing")
                .isEqualTo(100);
        String wrongConduit = seed.replace("conduit: conduit-a", "conduit: conduit-z");
        HttpResponse<String> broken = slb.http("POST", "/v1/config?file=trench.yaml", wrongConduit);
        assertThat(broken.statusCode()).isEqualTo(400);
        int line = wrongConduit.substring(0, wrongConduit.indexOf("conduit: conduit-z")).split("\n", -1).length;
        assertThat(TestDaemon.json(broken.body()).path("message").asText()).isEqualTo("trench.yaml:" + line + ":5:"
                + " streams[0].conduit: conduit=conduit-z (expected: one of the defined conduits: conduit-a)");
        HttpResponse<String> applied = slb.http("POST", "/v1/config", moreTargets);
        assertThat(TestDaemon.json(applied.body()).path("events")).hasSize(1);
        assertThat(slb.get("/v1/streams").get(0).path("maxTargets").asInt()).isEqualTo(200);
    }

    @Test
    void liveTracesAreBoundedInNumberAndAPlaceIsFreedWhenAFollowerLeaves() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest follow = HttpRequest.newBuilder(slb.server.resolve("/v1/trace/follow")).build();
        List<HttpResponse<InputStream>> following = new ArrayList<>();
        for (int i = 0; i < ViewRoutes.MAX_FOLLOWERS; i++) {
            HttpResponse<InputStream> response = client.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            following.add(response);
        }
        HttpResponse<InputStream> refused = null;
        for (int attempt = 0; attempt < 100 && (refused == null || refused.statusCode() != 429); attempt++) {
            // The streams take their places once they are subscribed, a moment after their answers start.
            refused = client.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            if (refused.statusCode() != 429) {
                refused.body().close();
                Thread.sleep(20);
            }
        }
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(TestDaemon.json(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8))
                .path("message").asText())
                .isEqualTo(ViewRoutes.MAX_FOLLOWERS + " live traces are followed already (expected: one of them to"
                        + " end first)");
        following.get(0).body().close();
        int status = 429;
        for (int attempt = 0; attempt < 100 && status == 429; attempt++) {
            HttpResponse<InputStream> again = client.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            status = again.statusCode();
            again.body().close();
            Thread.sleep(20);
        }
        assertThat(status).as("a follower that left frees its place").isEqualTo(200);
        for (HttpResponse<InputStream> response : following) {
            response.body().close();
        }
        assertThat(slb.http("GET", "/v1/trace/follow?rate=0", null).statusCode()).isEqualTo(400);
        assertThat(slb.http("GET", "/v1/trace/follow?flow=nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aWatchResumesFromASequenceAndFollowsNewEvents() throws Exception {
        long start = slb.daemon.sequence();
        HttpRequest request = HttpRequest.newBuilder(slb.server.resolve("/v1/events/watch?after=" + (start - 2)))
                .header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(nextIds(events, 2)).containsExactly(start - 1, start);
            slb.http("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":[\"172.16.0.7\"]}");
            assertThat(nextIds(events, 1)).containsExactly(start + 1);
        }
        HttpRequest lastEventId = HttpRequest.newBuilder(slb.server.resolve("/v1/targets/watch"))
                .header("Last-Event-ID", Long.toString(start)).build();
        HttpResponse<InputStream> targets = HttpClient.newHttpClient().send(lastEventId,
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(targets.body(),
                StandardCharsets.UTF_8))) {
            assertThat(nextIds(events, 1)).as("only target events, from after Last-Event-ID")
                    .containsExactly(start + 1);
        }
    }

    private static List<Long> nextIds(BufferedReader events, int count) throws IOException {
        List<Long> ids = new ArrayList<>();
        while (ids.size() < count) {
            String line = events.readLine();
            assertThat(line).as("the stream ended early").isNotNull();
            if (line.startsWith("id: ")) {
                ids.add(Long.parseLong(line.substring(4)));
            }
        }
        return ids;
    }

    @Test
    void changesNeedTheTokenWhenOneIsSetReadsDoNot() throws IOException {
        slb.close();
        slb = null;
        Path tokenFile = work.resolve("token");
        Files.writeString(tokenFile, "s3cret-token-0123456789\n");
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data2")).withTokenFile(tokenFile);
        try (TestDaemon anonymous = TestDaemon.start(options)) {
            TestDaemon holder = anonymous.withToken("s3cret-token-0123456789");
            TestDaemon guesser = anonymous.withToken("s3cret-token-0123456780");
            HttpResponse<String> refused = anonymous.http("PUT", "/v1/trenches/t", "{}");
            assertError(refused, 401, "unauthorized", "Authorization", "this request changes the load balancer: it"
                    + " needs the header Authorization: Bearer <token> with the daemon's token");
            assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(anonymous.http("GET", "/v1/trenches", null).statusCode()).isEqualTo(200);
            assertThat(guesser.http("PUT", "/v1/trenches/t", "{}").statusCode()).isEqualTo(401);
            assertThat(holder.http("PUT", "/v1/trenches/t", "{}").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void listeningBeyondLoopbackRequiresAToken() {
        assertThatThrownBy(() -> Daemon.start(DaemonOptions.defaults(work.resolve("data3")).withListen("0.0.0.0", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--listen 0.0.0.0:0 is not a loopback address: --token-file is required, so that only"
                        + " holders of the token can change the load balancer");
        assertThat(work.resolve("data3")).as("refused before anything was created").doesNotExist();
    }

    @Test
    void probesAndMetricsAnswer() {
        assertThat(slb.get("/healthz").path("status").asText()).isEqualTo("ok");
        assertThat(slb.get("/readyz").path("status").asText()).isEqualTo("ok");
        HttpResponse<String> metrics = slb.http("GET", "/metrics", null);
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("slb_pipeline_queued ").contains("slb_log_sequence "
                + slb.daemon.sequence() + ".0")
                .contains("slb_events_total{outcome=\"recorded\",type=\"InterfaceUp\"} 2.0");
    }
}
