package io.statelesslb.eventlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * The last acknowledged sequence, in a file of its own beside the segments ({@code ACKNOWLEDGED}), so that it
 * survives the loss of the last segment: a log found shorter than what was acknowledged has lost events, and says so
 * instead of starting as if nothing happened. Written after every group commit's fsync (never ahead of the log), as
 * one 21-byte write in place without an fsync of its own: after a power loss it may be older than the log, which is
 * safe; never newer.
 */
final class HighWaterMark implements AutoCloseable {

    static final String FILE = "ACKNOWLEDGED";
    private static final int WIDTH = 20;

    private final FileChannel channel;
    private final ByteBuffer line = ByteBuffer.allocate(WIDTH + 1);

    private HighWaterMark(FileChannel channel) {
        this.channel = channel;
    }

    /** @return the acknowledged sequence recorded in {@code dir}, if a readable one is there */
    static Optional<Long> read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static HighWaterMark open(Path dir) throws IOException {
        return new HighWaterMark(FileChannel.open(dir.resolve(FILE), Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), EventLog.OWNER_ONLY));
    }

    /** Records {@code sequence} as acknowledged. */
    void advance(long sequence) throws IOException {
        line.clear();
        line.put(String.format("%0" + WIDTH + "d%n", sequence).getBytes(StandardCharsets.US_ASCII)).flip();
        while (line.hasRemaining()) {
            channel.write(line, line.position());
        }
    }

    /** Records {@code sequence} durably: after a repair or an accepted loss, the log's new end. */
    void reset(long sequence) throws IOException {
        channel.truncate(0);
        advance(sequence);
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.force(true);
        channel.close();
    }
}
