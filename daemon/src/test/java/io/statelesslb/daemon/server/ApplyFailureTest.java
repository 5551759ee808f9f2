package io.statelesslb.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.daemon.backend.Backend;
import io.statelesslb.daemon.backend.Rendering;
import io.statelesslb.daemon.backend.SimulatorBackend;
import io.statelesslb.daemon.pipeline.PipelineOptions;
import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import io.statelesslb.sim.PacketTrace;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataplane that refuses operations: the failure is visible (readyz, targets) and recorded, and so is recovery. */
class ApplyFailureTest {

    @TempDir
    Path work;

    /** The simulator, refusing every non-empty apply while {@code refusing} is set. */
    private static final class RefusingBackend implements Backend {
        final SimulatorBackend inner = new SimulatorBackend();
        volatile boolean refusing;

        @Override
        public String name() {
            return "refusing-sim";
        }

        @Override
        public Dataplane dataplane() {
            Dataplane dataplane = inner.dataplane();
            return new Dataplane() {
                @Override
                public DataplaneSpec applied() {
                    return dataplane.applied();
                }

                @Override
                public ApplyResult apply(List<Op> ops) {
                    return refusing && !ops.isEmpty()
                            ? new ApplyResult.Failed(0, ops.get(0), "RTNETLINK answers: Operation not permitted")
                            : dataplane.apply(ops);
                }
            };
        }

        @Override
        public boolean acceptsObservations() {
            return true;
        }

        @Override
        public void observed(ObservationEvent event) {
            inner.observed(event);
        }

        @Override
        public void restore(State state) {
            inner.restore(state);
        }

        @Override
        public List<Rendering> render(DataplaneSpec applied) {
            return inner.render(applied);
        }

        @Override
        public PacketTrace trace(byte[] packet, String ingress) {
            return inner.trace(packet, ingress);
        }
    }

    @Test
    void aRefusedApplyIsShownRecordedRetriedAndItsRecoveryRecorded() {
        RefusingBackend backend = new RefusingBackend();
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withConfig(TestDaemon.SEED_CONFIG)
                .withListen("127.0.0.1", 0).withPipeline(new PipelineOptions(Duration.ofMillis(10), 64, 1,
                        Duration.ofMillis(20), Duration.ofMillis(200), Duration.ZERO));
        try (TestDaemon slb = TestDaemon.wrap(Daemon.start(options, backend))) {
            slb.seedMachine();
            long start = slb.daemon.sequence();
            backend.refusing = true;
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

            backend.refusing = false;
            HttpResponse<String> next = slb.http("POST", "/v1/targets?wait",
                    "{\"stream\":\"stream-a-i\",\"identifier\":2,\"ips\":[\"172.16.0.3\"]}");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
            assertThat(slb.http("GET", "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(slb.get("/v1/targets")).allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("active"));
            assertThat(slb.awaitEvent(start, "ApplyRecovered").path("operations").asInt()).isPositive();
        }
    }
}
