package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One HTTP/1.1 connection kept alive for thousands of requests of every kind, as a client library's pool uses it:
 * every request gets its answer, in order, before the next one is sent.
 */
class KeepAliveTest {

    @TempDir
    Path work;

    @Test
    void thousandsOfMixedRequestsOnOneConnectionAreEachAnswered() throws IOException {
        try (TestDaemon slb = TestDaemon.seeded(work.resolve("data"));
             Socket socket = new Socket(slb.server.getHost(), slb.server.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String host = slb.server.getHost() + ":" + slb.server.getPort();
            for (int i = 0; i < 2000; i++) {
                int id = 10 + i % 50;
                String request = switch (i % 6) {
                    case 0 -> RawHttp.request("GET", "/v1/status", host, null);
                    case 1 -> RawHttp.request("POST", "/v1/targets", host, "{\"stream\":\"stream-a-i\","
                            + "\"identifier\":" + id + ",\"ips\":[\"172.16.0." + id + "\"]}");
                    case 2 -> RawHttp.request("GET", "/v1/targets", host, null);
                    case 3 -> RawHttp.request("DELETE", "/v1/targets/stream-a-i/" + (10 + (i - 2) % 50), host,
                            null);
                    case 4 -> RawHttp.request("POST", "/v1/trace", host, "{\"protocol\":\"tcp\","
                            + "\"source\":\"10.1.1.1\",\"sourcePort\":" + (40000 + i) + ",\"destination\":"
                            + "\"20.0.0.1\",\"destinationPort\":4000}");
                    default -> RawHttp.request("GET", "/healthz", host, null);
                };
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
                int status;
                try {
                    status = RawHttp.status(in);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("request " + i + " was never answered: " + request.lines().findFirst()
                            .orElse(""), e);
                }
                assertThat(status).as("request %d: %s", i, request.lines().findFirst().orElse("")).isLessThan(500);
            }
        }
    }
}
