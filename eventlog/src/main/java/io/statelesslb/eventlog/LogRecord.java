package io.statelesslb.eventlog;

import java.nio.file.Path;

/** One intact record read from the log, with where it was found (for errors that name file and offset). */
public record LogRecord(long sequence, long timestampMillis, int type, byte[] body, Path file, long offset) {
}
