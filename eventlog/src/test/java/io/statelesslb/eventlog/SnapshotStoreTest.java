package io.statelesslb.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    @TempDir
    Path dir;

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theNewestIntactSnapshotIsReadBackAndOnlyTwoAreKept() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(10, 7L * 10, body("ten"));
        store.save(20, 7L * 20, body("twenty"));
        store.save(30, 7L * 30, body("thirty"));
        SnapshotStore.StoredSnapshot latest = store.latest(Long.MAX_VALUE, s -> { }).get();
        assertThat(latest.sequence()).isEqualTo(30);
        assertThat(latest.body()).isEqualTo(body("thirty"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly(
                    "snapshot-00000000000000000020.bin", "snapshot-00000000000000000030.bin");
        }
    }

    @Test
    void aDamagedSnapshotIsSkippedAndReported() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(10, 7L * 10, body("ten"));
        store.save(20, 7L * 20, body("twenty"));
        Path newest = dir.resolve("snapshot-00000000000000000020.bin");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 1] ^= 1;
        Files.write(newest, bytes);
        List<String> skipped = new ArrayList<>();
        assertThat(store.latest(Long.MAX_VALUE, skipped::add).get().sequence()).isEqualTo(10);
        assertThat(skipped).singleElement().asString().contains("checksum mismatch");
    }

    @Test
    void snapshotsAheadOfTheLogAreIgnored() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(10, 7L * 10, body("ten"));
        store.save(20, 7L * 20, body("twenty"));
        assertThat(store.latest(15, s -> { }).get().sequence()).isEqualTo(10);
    }

    @Test
    void aSnapshotKeepsTheFingerprintOfTheRecordItFollowsUnderItsChecksum() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(10, 0x1234_5678_9abcL, body("ten"));
        assertThat(store.latest(Long.MAX_VALUE, s -> { }).get().follows()).isEqualTo(0x1234_5678_9abcL);
        Path file = dir.resolve("snapshot-00000000000000000010.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[18] ^= 1;
        Files.write(file, bytes);
        List<String> skipped = new ArrayList<>();
        assertThat(store.latest(Long.MAX_VALUE, skipped::add)).as("a fingerprint changed is damage").isEmpty();
        assertThat(skipped).singleElement().asString().contains("checksum mismatch");
    }

    @Test
    void aSnapshotOfTheFirstFormatBoundToNoHistoryIsNeverUsed() throws IOException {
        byte[] first = new byte[16 + 3];
        System.arraycopy("SLBSNAP1".getBytes(StandardCharsets.ISO_8859_1), 0, first, 0, 8);
        Files.write(dir.resolve("snapshot-00000000000000000010.bin"), first);
        List<String> skipped = new ArrayList<>();
        assertThat(new SnapshotStore(dir).latest(Long.MAX_VALUE, skipped::add)).isEmpty();
        assertThat(skipped).singleElement().asString().contains("first format, not bound to the history");
    }

    @Test
    void snapshotsBeyondASequenceAreRemoved() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(10, 1, body("ten"));
        store.save(20, 2, body("twenty"));
        assertThat(store.removeAfter(15)).extracting(path -> path.getFileName().toString())
                .containsExactly("snapshot-00000000000000000020.bin");
        assertThat(store.latest(Long.MAX_VALUE, s -> { }).get().sequence()).isEqualTo(10);
    }
}
