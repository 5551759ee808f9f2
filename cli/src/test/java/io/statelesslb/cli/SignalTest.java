package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.TestDaemon;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slb run} as operators run it, in its own process: SIGHUP reloads the configuration, SIGTERM drains. */
class SignalTest {

    private static final Pattern LISTENING = Pattern.compile("slb: listening on (http://\\S+) ");

    @TempDir
    Path work;

    @Test
    void hangUpReloadsTheConfigurationAndTerminateDrainsAndExitsZero() throws Exception {
        Path config = work.resolve("trench.yaml");
        Files.copy(TestDaemon.SEED_CONFIG, config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process daemon = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlbCommand.class.getName(), "run", "--data-dir", work.resolve("data").toString(), "--config",
                config.toString(), "--listen", "127.0.0.1:0")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                StandardCharsets.UTF_8))) {
            URI server = null;
            String line;
            while (server == null && (line = out.readLine()) != null) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    server = URI.create(listening.group(1));
                }
            }
            assertThat(server).as("the daemon printed where it listens").isNotNull();
            assertThat(get(server, "/v1/vips")).hasSize(2);

            Files.writeString(config, Files.readString(config).replace("vips:\n", "vips:\n  - name: vip-b-v4\n"
                    + "    address: 30.0.0.1/32\n"));
            long beforeReload = get(server, "/v1/status").path("sequence").asLong();
            HttpResponse<Stream<String>> watch = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(server.resolve("/v1/events/watch?after=" + beforeReload)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start().waitFor();
            try (Stream<String> events = watch.body()) {
                assertThat(events.filter(event -> event.startsWith("event: ")).findFirst())
                        .as("the reload's event").hasValue("event: VipDefined");
            }
            assertThat(get(server, "/v1/vips")).as("reloaded on SIGHUP").hasSize(3);
            long sequence = get(server, "/v1/status").path("sequence").asLong();

            // Not Process.destroy(): it would close the output this test still reads.
            new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).start().waitFor();
            StringBuilder rest = new StringBuilder();
            out.lines().forEach(remaining -> rest.append(remaining).append('\n'));
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).as(rest.toString()).isZero();
            assertThat(rest.toString()).contains("slb: stopping: draining the pipeline")
                    .contains("slb: stopped at sequence " + sequence + "\n");
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static JsonNode get(URI server, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestDaemon.json(response.body());
    }
}
