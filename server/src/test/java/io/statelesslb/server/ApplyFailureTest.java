package io.statelesslb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.controller.pipeline.PipelineOptions;
import io.statelesslb.dataplane.testing.FaultyDataplane;
import io.statelesslb.sim.SimulatedDataplane;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataplane that refuses operations: the failure is visible (readyz, targets) and recorded, and so is recovery. */
class ApplyFailureTest {

    @TempDir
    Path work;

    @Test
    void aRefusedApplyIsShownRecordedRetriedAndItsRecoveryRecorded() {
        FaultyDataplane backend = new FaultyDataplane(new SimulatedDataplane());
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG)
                .withListen("127.0.0.1", 0).withPipeline(new PipelineOptions(Duration.ofMillis(10), 64, 1,
                        Duration.ofMillis(20), Duration.ofMillis(200), Duration.ZERO));
        try (TestDaemon slb = TestDaemon.wrap(Daemon.start(options, backend))) {
            slb.seedMachine();
            long start = slb.daemon.sequence();
            backend.refuse(true);
            HttpResponse<String> registered = slb.http("POST", "/v1/targets?wait",
                    "{\"stream\":\"stream-a-i\",\"identifier\":1,\"ips\":[\"172.16.0.2\"]}");
            assertThat(registered.statusCode()).as("recorded, not applied within the wait").isEqualTo(202);
            assertThat(TestDaemon.json(registered.body()).path("applied").asBoolean()).isFalse();

            HttpResponse<String> ready = slb.http("GET", "/readyz", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(TestDaemon.json(ready.body()).path("reason").asText())
                    .contains("RTNETLINK answers: Operation not permitted");
            JsonNode target = slb.get("/v1/targets").get(0);
            assertThat(target.path("status").asText()).isEqualTo("pending");
            assertThat(target.path("reason").asText()).startsWith("the dataplane refuses an operation: ")
                    .contains("RTNETLINK answers: Operation not permitted");
            JsonNode failed = slb.awaitEvent(start, "ApplyFailed");
            assertThat(failed.path("error").asText()).isEqualTo("RTNETLINK answers: Operation not permitted");
            assertThat(failed.path("operation").asText()).startsWith("ip ");

            backend.refuse(false);
            HttpResponse<String> next = slb.http("POST", "/v1/targets?wait",
                    "{\"stream\":\"stream-a-i\",\"identifier\":2,\"ips\":[\"172.16.0.3\"]}");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
            assertThat(slb.http("GET", "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(slb.get("/v1/targets"))
                    .allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("active"));
            assertThat(slb.awaitEvent(start, "ApplyRecovered").path("operations").asInt()).isPositive();
        }
    }
}
