package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /v1/config writes the state out as a configuration file that, applied, changes nothing. */
class ConfigurationExportTest {

    @TempDir
    Path work;

    @Test
    void theExportedConfigurationAppliedToTheSameStateChangesNothingAndRebuildsItElsewhere() {
        try (TestDaemon slb = TestDaemon.seeded(work.resolve("a"))) {
            // Beyond the seed: port translations, a gateway's session options, the load balancer's settings and
            // a target.
            ok(slb.http("PUT", "/v1/conduits/conduit-a", "{\"interfacePrefix\":\"conduit-a-\",\"destinationPortNats\":"
                    + "[{\"protocol\":\"tcp\",\"port\":80,\"targetPort\":8080,\"vips\":[\"vip-a-1-v4\"]}]}"));
            ok(slb.http("PUT", "/v1/gateways/gateway-a-v4", "{\"address\":\"169.254.100.150\",\"interfaceName\":"
                    + "\"ext-vlan0\",\"protocol\":\"bgp\",\"bfd\":true,\"remoteAsn\":4248829953,\"localAsn\":8103,"
                    + "\"holdTime\":30,\"bfdMinTx\":100,\"localPort\":10179}"));
            ok(slb.http("POST", "/v1/config", "trench: trench-a\nloadBalancer: {queues: \"2:5\", queueFanout: true,"
                    + " failOpen: true, noTargetsFwmark: 9}\n" + slb.http("GET", "/v1/config", null).body()
                    .replaceFirst("(?s)^trench: trench-a\n(loadBalancer:.*?\n)?(?=conduits)", "")));
            ok(slb.http("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":[\"172.16.0.7\","
                    + "\"fd00::7\"]}"));

            String exported = slb.http("GET", "/v1/config?targets=true", null).body();
            assertThat(exported).startsWith("trench: trench-a\n").contains("queues: 2:5", "queueFanout: true",
                    "holdTime: 30", "bfdMinTx: 100", "localPort: 10179", "targetPort: 8080", "identifier: 7");
            assertThat(exported).as("defaults are left out").doesNotContain("bfdMultiplier", "remotePort");
            JsonNode dryRun = TestDaemon.json(slb.http("POST", "/v1/config?dryRun", exported).body());
            assertThat(dryRun.path("events")).as("the export applied to the state it came from").isEmpty();

            // On a new daemon the export rebuilds the same configuration, which exports the same.
            try (TestDaemon other = TestDaemon.start(DaemonOptions.defaults(work.resolve("b")))) {
                JsonNode applied = TestDaemon.json(other.http("POST", "/v1/config", exported).body());
                assertThat(applied.path("problems")).isEmpty();
                assertThat(other.http("GET", "/v1/config?targets=true", null).body()).isEqualTo(exported);
            }
        }
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }
}
