package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.api.codec.Json;
import io.statelesslb.controller.store.EventStore;
import io.statelesslb.controller.store.EventStoreOptions;
import io.statelesslb.domain.testing.Scenarios;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoverCommandTest {

    @TempDir
    Path dir;

    private Path segment() {
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, Clock.systemUTC())) {
            Scenarios.seed().forEach(event -> store.submit(event).join());
        }
        return dir.resolve("00000000000000000001.log");
    }

    @Test
    void aCleanLogIsReportedClean() {
        segment();
        Cli recover = Cli.run("recover", "--data-dir", dir.toString());
        assertThat(recover.exitCode()).isZero();
        assertThat(recover.out()).contains("17 record(s), last sequence 17").contains("clean: nothing to recover");
    }

    @Test
    void aTornTailIsTruncated() throws IOException {
        Path segment = segment();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(segment) - 5);
        }
        // A crash tears only a record not yet acknowledged: the mark of what was acknowledged is below it.
        Files.writeString(dir.resolve("ACKNOWLEDGED"), "16\n");
        Cli recover = Cli.run("recover", "--data-dir", dir.toString(), "-o", "json");
        var report = Json.mapper().readTree(recover.out());
        assertThat(report.path("lastSequence").asLong()).isEqualTo(16);
        assertThat(report.path("truncation").asText()).startsWith("torn tail in " + segment);
        assertThat(Cli.run("recover", "--data-dir", dir.toString()).out()).contains("clean");
        assertThat(Cli.run("recover", "--data-dir", dir.toString(), "-o", "json").out())
                .isEqualTo("{\"lastSequence\":16,\"records\":16,\"segments\":1,\"truncation\":null}\n");
    }

    @Test
    void corruptionIsRefusedUntilRepairIsAskedFor() throws IOException {
        Path segment = segment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[60] ^= 0x04;
        Files.write(segment, bytes);
        Cli refused = Cli.run("recover", "--data-dir", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("event log corrupted in " + segment + " at offset").contains("--repair");
        assertThat(Files.readAllBytes(segment)).isEqualTo(bytes);
        Cli repaired = Cli.run("recover", "--data-dir", dir.toString(), "--repair");
        assertThat(repaired.exitCode()).isZero();
        assertThat(repaired.out()).contains("repaired corruption in " + segment);
    }

    @Test
    void acknowledgedEventsThatAreGoneAreARefusalUntilTheLossIsAccepted() throws IOException {
        Path segment = segment();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(segment) - 5);
        }
        Cli refused = Cli.run("recover", "--data-dir", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("ends at sequence 16 but sequence 17 was acknowledged: 1 acknowledged"
                + " event(s) are missing").contains("slb recover --data-dir " + dir + " --accept-loss");
        Cli accepted = Cli.run("recover", "--data-dir", dir.toString(), "--accept-loss");
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("accepted: 1 acknowledged event(s) lost");
        assertThat(Cli.run("recover", "--data-dir", dir.toString()).out()).contains("clean: nothing to recover");
    }
}
