package io.statelesslb.eventlog;

import java.nio.file.Path;

/**
 * The log is damaged before its tail: a record that is not the last one fails its checksum, breaks the sequence,
 * or does not decode. Start-up stops here unless repair is asked for, which truncates at {@link #offset()}.
 */
public class EventLogCorruptedException extends RuntimeException {

    private final Path file;
    private final long offset;
    private final String reason;

    public EventLogCorruptedException(Path file, long offset, String reason) {
        super("event log corrupted in " + file + " at offset " + offset + ": " + reason + " (stop the daemon, back"
                + " up " + file.getParent() + ", then run: slb recover --data-dir " + file.getParent() + " --repair;"
                + " it cuts the log there, dropping everything after it)");
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** @return what is wrong there, without the advice */
    public String reason() {
        return reason;
    }

    /** @return the segment file holding the damaged record */
    public Path file() {
        return file;
    }

    /** @return the byte offset of the damaged record within {@link #file()} */
    public long offset() {
        return offset;
    }
}
