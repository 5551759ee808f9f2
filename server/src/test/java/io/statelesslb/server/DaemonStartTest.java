package io.statelesslb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.config.LoadBalancerOptions;
import io.statelesslb.eventlog.EventLogException;
import io.statelesslb.server.http.HttpApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a daemon does before it serves: its lock, its port, its flags. */
class DaemonStartTest {

    @TempDir
    Path work;

    @Test
    void nfqlbsOptionsGivenAsFlagsAreRecordedOnceAndKeptAcrossRestarts() {
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG)
                .withListen("127.0.0.1", 0)
                .withLoadBalancer(new LoadBalancerOptions("0:1", null, true, null, true, null, null, null, null));
        try (TestDaemon slb = TestDaemon.start(options)) {
            assertThat(types(slb)).containsOnlyOnce("LoadBalancerConfigured");
            JsonNode settings = events(slb).stream().filter(e -> e.path("type").asText()
                    .equals("LoadBalancerConfigured")).findFirst().orElseThrow();
            assertThat(settings.path("queues").asInt()).isEqualTo(2);
            assertThat(settings.path("queueBypass").asBoolean()).isTrue();
            assertThat(settings.path("promiscuousPing").asBoolean()).isTrue();
        }
        try (TestDaemon again = TestDaemon.start(options)) {
            // The simulated gateways' sessions come up in their own time; the options record nothing new.
            assertThat(types(again)).as("nothing new to record").containsOnlyOnce("LoadBalancerConfigured");
        }
        try (TestDaemon withoutFlags = TestDaemon.start(options.withLoadBalancer(LoadBalancerOptions.NONE))) {
            assertThat(withoutFlags.daemon.controller().state().trench().get().loadBalancer().queueBypass())
                    .as("the flags' options stay what the log says").isTrue();
        }
    }

    @Test
    void aSecondDaemonOnTheSameDataDirectoryIsRefusedAndTheFirstServesOn() {
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG);
        try (TestDaemon first = TestDaemon.start(options)) {
            assertThatThrownBy(() -> TestDaemon.start(options)).isInstanceOf(EventLogException.class)
                    .hasMessageContaining("in use by another process");
            assertThat(first.http("GET", "/healthz", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSecondDaemonOnTheSamePortIsRefusedBeforeItOpensItsDataplane() {
        try (TestDaemon first = TestDaemon.start(DaemonOptions.defaults(work.resolve("one")))) {
            int port = first.daemon.address().getPort();
            DaemonOptions second = DaemonOptions.defaults(work.resolve("two")).withListen("127.0.0.1", port);
            assertThatThrownBy(() -> Daemon.start(second)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--listen 127.0.0.1:" + port + ": cannot listen there");
            assertThat(first.http("GET", "/healthz", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void whileItStartsItHoldsItsPortAndAnswersStarting() throws Exception {
        try (HttpApi api = HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            HttpResponse<String> targets = client.send(HttpRequest.newBuilder(base.resolve("/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(targets.statusCode()).isEqualTo(503);
            assertThat(targets.headers().firstValue("retry-after")).hasValue("1");
            assertThat(TestDaemon.json(targets.body()).path("message").asText()).startsWith("starting: ");
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("alive").isEqualTo(200);
        }
    }

    private static List<String> types(TestDaemon slb) {
        return events(slb).stream().map(event -> event.path("type").asText()).toList();
    }

    private static List<JsonNode> events(TestDaemon slb) {
        return StreamSupport.stream(slb.get("/v1/events").spliterator(), false)
                .map(recorded -> recorded.path("event")).toList();
    }
}
