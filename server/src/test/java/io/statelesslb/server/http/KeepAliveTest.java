package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.server.TestDaemon;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
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
                String request = switch (i % 6) {
                    case 0 -> request("GET", "/v1/status", host, null);
                    case 1 -> request("POST", "/v1/targets", host, "{\"stream\":\"stream-a-i\",\"identifier\":"
                            + (10 + i % 50) + ",\"ips\":[\"172.16.0." + (10 + i % 50) + "\"]}");
                    case 2 -> request("GET", "/v1/targets", host, null);
                    case 3 -> request("DELETE", "/v1/targets/stream-a-i/" + (10 + (i - 2) % 50), host, null);
                    case 4 -> request("POST", "/v1/trace", host, "{\"protocol\":\"tcp\",\"source\":\"10.1.1.1\","
                            + "\"sourcePort\":" + (40000 + i) + ",\"destination\":\"20.0.0.1\",\"destinationPort\":4000}");
                    default -> request("GET", "/healthz", host, null);
                };
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
                int status;
                try {
                    status = readResponse(in);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("request " + i + " was never answered: " + request.lines().findFirst()
                            .orElse(""), e);
                }
                assertThat(status).as("request %d: %s", i, request.lines().findFirst().orElse("")).isLessThan(500);
            }
        }
    }

    private static String request(String method, String path, String host, String body) {
        StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            text.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n\r\n")
                    .append(body);
        } else {
            text.append("\r\n");
        }
        return text.toString();
    }

    /** Reads one response (headers, then a Content-Length or chunked body); @return its status */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0;
                 size = Integer.parseInt(line(in).strip(), 16)) {
                in.readNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.readNBytes(length);
        }
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection was closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
