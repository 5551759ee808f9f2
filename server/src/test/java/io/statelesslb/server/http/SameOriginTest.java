package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A web page on the operator's machine cannot use the daemon, even on loopback where no token is asked for. */
class SameOriginTest {

    @TempDir
    Path work;

    private static final String REGISTER = "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":[\"172.16.0.7\"]}";

    @Test
    void aCrossSiteWriteAForeignHostAndAFormAreRefusedAndNothingChanges() throws IOException {
        try (TestDaemon slb = TestDaemon.seeded(work.resolve("data"))) {
            String own = "127.0.0.1:" + slb.server.getPort();
            long before = slb.daemon.sequence();

            RawHttp.Response form = exchange(slb, RawHttp.request("POST", "/v1/targets", own, REGISTER,
                    Map.of("Content-Type", "text/plain")));
            assertThat(form.status()).isEqualTo(415);
            assertThat(form.body()).contains("Content-Type text/plain (expected: application/json");

            RawHttp.Response page = exchange(slb, RawHttp.request("POST", "/v1/targets", own, REGISTER,
                    Map.of("Origin", "http://evil.example")));
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.body()).contains("a request from http://evil.example (a web page elsewhere) is refused");

            // DNS rebinding: the page's own name resolves to 127.0.0.1; reads are refused too.
            RawHttp.Response rebound = exchange(slb, RawHttp.request("GET", "/v1/targets",
                    "evil.example:" + slb.server.getPort(), null));
            assertThat(rebound.status()).isEqualTo(403);
            assertThat(rebound.body()).contains("Host evil.example:" + slb.server.getPort()
                    + " does not name this daemon (expected: 127.0.0.1:" + slb.server.getPort() + " or localhost:");
            assertThat(exchange(slb, RawHttp.request("GET", "/v1/status", "127.0.0.1:1", null)).status())
                    .as("another port").isEqualTo(403);
            assertThat(slb.daemon.sequence()).as("nothing was recorded").isEqualTo(before);

            assertThat(exchange(slb, RawHttp.request("POST", "/v1/targets", own, REGISTER,
                    Map.of("Origin", "http://" + own))).status()).as("the daemon's own origin").isEqualTo(201);
            assertThat(exchange(slb, RawHttp.request("GET", "/v1/status", "localhost:" + slb.server.getPort(),
                    null)).status()).isEqualTo(200);
            assertThat(slb.http("DELETE", "/v1/targets/stream-a-i/7", null).statusCode())
                    .as("the JDK's client, as the CLI sends").isEqualTo(200);
        }
    }

    private static RawHttp.Response exchange(TestDaemon slb, String request) throws IOException {
        try (Socket socket = new Socket(slb.server.getHost(), slb.server.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return RawHttp.response(socket.getInputStream());
        }
    }
}
