package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.engine.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine commands reproduce nfqlb's golden vectors through the command line, line for line. */
class EngineCommandTest {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void keyBatchPrintsExactlyTheGoldenLines() throws IOException {
        List<String> golden = Golden.lines("hashkey.jsonl");
        List<String> input = new ArrayList<>();
        for (String line : golden) {
            JsonNode vector = json.readTree(line);
            input.add(vector.get("family").asText() + " " + vector.get("udpencap").asInt() + " "
                    + vector.get("packet").asText());
        }
        Path batch = Files.write(dir.resolve("packets.txt"), input);
        Cli cli = Cli.run("engine", "key", "--batch", batch.toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out().lines()).containsExactlyElementsOf(golden);
    }

    @Test
    void maglevJsonReproducesEveryGoldenTable() throws IOException {
        for (String line : Golden.lines("maglev.jsonl")) {
            JsonNode vector = json.readTree(line);
            List<String> active = new ArrayList<>();
            vector.get("active").fields().forEachRemaining(e -> active.add(e.getKey() + ":" + e.getValue().asInt()));
            List<String> args = new ArrayList<>(List.of("engine", "maglev", "--m", vector.get("M").asText(), "--n",
                    vector.get("N").asText(), "-o", "json"));
            if (!active.isEmpty()) {
                args.add("--active");
                args.add(String.join(",", active));
            }
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertThat(cli.exitCode()).as(cli.err()).isZero();
            JsonNode printed = json.readTree(cli.out());
            assertThat(printed.get("effectiveM")).isEqualTo(vector.get("effectiveM"));
            assertThat(printed.get("lookup")).isEqualTo(vector.get("lookup"));
        }
    }

    @Test
    void badInputNamesTheLineOrTheValue() throws IOException {
        Path batch = Files.write(dir.resolve("bad.txt"), List.of("v4 0 4500", "v5 0 00"));
        Cli key = Cli.run("engine", "key", "--batch", batch.toString());
        assertThat(key.exitCode()).isEqualTo(1);
        assertThat(key.err()).contains(batch + ":2: \"v5 0 00\" (expected: v4|v6 UDPENCAP HEX");
        Cli maglev = Cli.run("engine", "maglev", "--m", "100", "--n", "5", "--active", "7:5007");
        assertThat(maglev.exitCode()).as("a bad option value is a usage error").isEqualTo(2);
        assertThat(maglev.err()).contains("--active 7:5007 (expected: SLOT:FWMARK with SLOT in 0..4 and FWMARK > 0)");
    }
}
