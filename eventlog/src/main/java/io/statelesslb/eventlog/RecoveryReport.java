package io.statelesslb.eventlog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What opening the log found and did: how many segments and records, the last good sequence, and a torn or
 * repaired tail (file, offset, bytes dropped, reason) if one was truncated.
 */
public record RecoveryReport(int segments, long records, long lastSequence, Optional<Truncation> truncation) {

    /** A truncation: bytes from {@code offset} of {@code file} on (and any later segment) were dropped. */
    public record Truncation(Path file, long offset, long bytesDropped, String reason, boolean repair) {

        @Override
        public String toString() {
            return (repair ? "repaired corruption" : "torn tail") + " in " + file + " at offset " + offset + ": "
                    + reason + "; dropped " + bytesDropped + " bytes";
        }
    }

    @Override
    public String toString() {
        return "event log: " + segments + " segment(s), " + records + " record(s), last sequence " + lastSequence
                + truncation.map(t -> "; " + t).orElse("");
    }
}
