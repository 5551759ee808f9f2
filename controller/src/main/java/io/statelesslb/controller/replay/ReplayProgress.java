package io.statelesslb.controller.replay;

import io.statelesslb.eventlog.LogRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Progress through a long log: a line a second (events, sequence, share of the log's bytes), only once reading has
 * taken that long, and a last line with the total time. Quiet for logs read in under a second.
 */
public final class ReplayProgress {

    private static final long INTERVAL_NS = 1_000_000_000L;

    private final Consumer<String> out;
    private final long totalBytes;
    private final long started = System.nanoTime();
    private long lastPrinted = started;
    private long doneBytes;
    private Path currentFile;
    private long events;
    private boolean printed;

    /** @param out receives each progress line (a printer, or a logger) */
    public ReplayProgress(Consumer<String> out, Path logDir) {
        this.out = out;
        this.totalBytes = totalBytes(logDir);
    }

    /** Counts a record read. */
    public void update(LogRecord record) {
        events++;
        if (!record.file().equals(currentFile)) {
            if (currentFile != null) {
                doneBytes += currentFile.toFile().length();
            }
            currentFile = record.file();
        }
        if ((events & 1023) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrinted >= INTERVAL_NS) {
            lastPrinted = now;
            printed = true;
            long percent = totalBytes == 0 ? 100 : 100 * (doneBytes + record.offset()) / totalBytes;
            out.accept(String.format("%d events, sequence %d (%d%%)", events, record.sequence(), percent));
        }
    }

    /** Ends the progress, with a total if any progress was shown. */
    public void done() {
        if (printed) {
            out.accept(String.format("%d events in %.1f s", events, (System.nanoTime() - started) / 1e9));
        }
    }

    private static long totalBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0; // the share is then shown as 100%; the count and sequence still tell the progress
        }
    }
}
