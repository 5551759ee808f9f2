package io.statelesslb.eventlog;

/** Receives the intact records of the log in sequence order while it is scanned. */
@FunctionalInterface
public interface RecordVisitor {

    /**
     * @param record an intact record
     * @throws EventLogCorruptedException when the record's content is unusable; the scan stops there
     */
    void visit(LogRecord record);
}
