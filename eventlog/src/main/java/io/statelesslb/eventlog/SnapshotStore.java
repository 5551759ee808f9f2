package io.statelesslb.eventlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files beside the log: {@code snapshot-<sequence>.bin}, each the state after that sequence, bound to the
 * history it was taken from by the {@link LogRecord#fingerprint fingerprint} of the record at that sequence (the
 * store uses a snapshot only while the log still holds that very record). Written to a temporary file, fsync'd,
 * renamed into place and the directory fsync'd, so a snapshot is either whole or absent; the two newest are kept. A
 * damaged snapshot is skipped (and reported), never trusted; so is one of the first format, which was bound to
 * nothing.
 * <pre>
 *   0        8        12       16            24
 *   +--------+--------+--------+-------------+---------------------+
 *   | magic  | CRC32C | length | fingerprint | body (length bytes) |
 *   +--------+--------+--------+-------------+---------------------+
 *   the CRC32C covers the fingerprint and the body
 * </pre>
 */
public final class SnapshotStore {

    private static final byte[] MAGIC = "SLBSNAP2".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] FIRST_MAGIC = "SLBSNAP1".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HEADER_BYTES = 24;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".bin";
    private static final int KEEP = 2;

    private final Path dir;

    /** A snapshot read back: the sequence it reflects, the fingerprint of the record at it, and its body. */
    public record StoredSnapshot(long sequence, long follows, byte[] body, Path file) {
    }

    public SnapshotStore(Path dir) {
        this.dir = dir;
    }

    /**
     * Durably stores a snapshot taken after {@code sequence}, then removes all but the newest two.
     *
     * @param follows the fingerprint of the record at {@code sequence}
     * @throws IOException when it cannot be written; the previous snapshots stay valid
     */
    public void save(long sequence, long follows, byte[] body) throws IOException {
        Path target = dir.resolve(String.format("%s%020d%s", PREFIX, sequence, SUFFIX));
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(follows).flip());
        crc.update(body);
        header.put(MAGIC).putInt((int) crc.getValue()).putInt(body.length).putLong(follows).flip();
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), EventLog.OWNER_ONLY)) {
            ByteBuffer content = ByteBuffer.wrap(body);
            while (header.hasRemaining()) {
                channel.write(header);
            }
            while (content.hasRemaining()) {
                channel.write(content);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        EventLog.syncDirectory(dir);
        List<Path> all = files();
        for (Path old : all.subList(0, Math.max(0, all.size() - KEEP))) {
            Files.deleteIfExists(old);
        }
        EventLog.syncDirectory(dir);
    }

    /**
     * @param atMost  only snapshots of a sequence up to this one are considered
     * @param skipped told of every damaged snapshot passed over
     * @return the newest intact snapshot not beyond {@code atMost}
     */
    public Optional<StoredSnapshot> latest(long atMost, Consumer<String> skipped) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> all = files();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path file = all.get(i);
            long sequence = sequenceOf(file);
            if (sequence > atMost) {
                skipped.accept(file + " is ahead of the log's last sequence " + atMost + "; ignored");
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            String damage = damage(bytes);
            if (damage != null) {
                skipped.accept(file + " is damaged (" + damage + "); ignored");
                continue;
            }
            byte[] body = new byte[bytes.length - HEADER_BYTES];
            System.arraycopy(bytes, HEADER_BYTES, body, 0, body.length);
            long follows = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getLong(16);
            return Optional.of(new StoredSnapshot(sequence, follows, body, file));
        }
        return Optional.empty();
    }

    private static String damage(byte[] bytes) {
        if (bytes.length >= FIRST_MAGIC.length && java.util.Arrays.equals(bytes, 0, FIRST_MAGIC.length, FIRST_MAGIC, 0,
                FIRST_MAGIC.length)) {
            return "of the first format, not bound to the history it was taken from";
        }
        if (bytes.length < HEADER_BYTES) {
            return "header cut short";
        }
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return "not a snapshot";
            }
        }
        int length = header.getInt(12);
        if (length != bytes.length - HEADER_BYTES) {
            return "length " + length + " but " + (bytes.length - HEADER_BYTES) + " bytes of body";
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 16, 8 + length);
        return (int) crc.getValue() == header.getInt(8) ? null : "checksum mismatch";
    }

    /**
     * Removes every snapshot of a sequence after {@code sequence}: they describe a history the log no longer holds,
     * and must not be found again once the log grows past them.
     *
     * @return the files removed
     */
    public List<Path> removeAfter(long sequence) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        for (Path file : files()) {
            if (sequenceOf(file) > sequence) {
                Files.deleteIfExists(file);
                removed.add(file);
            }
        }
        if (!removed.isEmpty()) {
            EventLog.syncDirectory(dir);
        }
        return removed;
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.filter(f -> sequenceOf(f) >= 0).sorted(Comparator.comparingLong(SnapshotStore::sequenceOf))
                    .forEach(files::add);
        }
        return files;
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
