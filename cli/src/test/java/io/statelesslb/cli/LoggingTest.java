package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.Polling;
import io.statelesslb.server.TestDaemon;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What slb run logs: one line per recorded change with who asked for it, as text or JSON, at the levels asked. */
class LoggingTest {

    @TempDir
    Path work;

    @Test
    void eachRecordedChangeIsOneJsonLineNamingItsSourceAndLevelsArePerLogger() throws Exception {
        try (DaemonProcess slb = DaemonProcess.start(work.resolve("slb.log"), "run", "--data-dir",
                work.resolve("data").toString(), "--listen", "127.0.0.1:0", "--config",
                TestDaemon.SEED_CONFIG.toString(), "--log-format", "json", "--log-level",
                "io.statelesslb.controller.pipeline=debug")) {
            assertThat(Cli.on(slb.server(), "register", "--stream", "stream-a-i", "--id", "9", "172.16.0.9")
                    .exitCode()).isZero();
            assertThat(Cli.on(slb.server(), "enable", "--stream", "stream-a-i", "--id", "9").out())
                    .contains("unchanged");
            // A client that hangs up in the middle of its request.
            try (Socket socket = new Socket(slb.server().getHost(), slb.server().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/targets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"stream\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            Polling.pause(300);
            List<JsonNode> lines = slb.output().lines().filter(line -> line.startsWith("{"))
                    .map(TestDaemon::json).toList();
            assertThat(lines).as(slb.output()).allSatisfy(line -> assertThat(line.has("level")).isTrue());
            List<JsonNode> registered = lines.stream().filter(line -> line.path("formattedMessage").asText()
                    .contains("\"type\":\"TargetRegistered\"")).toList();
            assertThat(registered).hasSize(1);
            assertThat(registered.get(0).path("level").asText()).isEqualTo("INFO");
            assertThat(registered.get(0).path("formattedMessage").asText())
                    .matches("#\\d+ \\{.*\"identifier\":9.*} from API client 127\\.0\\.0\\.1:\\d+");
            assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
                    .contains("\"type\":\"TrenchDefined\"", "from config file " + TestDaemon.SEED_CONFIG));
            assertThat(lines).as("the unchanged enable, at the debug level asked for the pipeline")
                    .anySatisfy(line -> {
                        assertThat(line.path("level").asText()).isEqualTo("DEBUG");
                        assertThat(line.path("formattedMessage").asText()).startsWith("unchanged TargetEnabled");
                    });
            assertThat(slb.output()).as("no stack trace for the client that hung up")
                    .doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void textLinesByDefault() {
        try (DaemonProcess slb = DaemonProcess.start(work.resolve("slb.log"), "run", "--data-dir",
                work.resolve("data").toString(), "--listen", "127.0.0.1:0", "--config",
                TestDaemon.SEED_CONFIG.toString())) {
            assertThat(slb.output().lines().filter(line -> line.contains(" INFO Pipeline - #1 ")))
                    .singleElement().asString()
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} INFO Pipeline - #1 "
                            + "\\{\"type\":\"TrenchDefined\",\"name\":\"trench-a\"} from config file .*");
        }
    }
}
