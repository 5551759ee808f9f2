package io.statelesslb.eventlog.stream;

/** Reads a stream forward from a sequence, a page at a time, each page up to the stream's end when it is read. */
public interface StreamReader extends AutoCloseable {

    /**
     * Hands the next records, in order, to {@code visitor}.
     *
     * @param limit at most this many
     * @return how many records were handed (0 at the end)
     * @throws EventStreamUnavailableException when the stream cannot be read now
     * @throws EventStreamException            when a record is damaged or missing
     */
    int read(int limit, StreamWatcher visitor);

    @Override
    void close();
}
