package io.statelesslb.eventlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The lock on a data directory ({@code DIR/LOCK}) that one daemon holds while it runs, so that a second one on the
 * same directory is refused before it touches anything. The kernel releases it when the process ends, however.
 */
public final class DirectoryLock implements AutoCloseable {

    static final String LOCK_FILE = "LOCK";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code dir}, creating the directory (readable by its owner alone) if it is missing.
     *
     * @param what what the directory holds, for the message ({@code event log directory}, {@code data directory})
     * @throws EventLogException when another process holds it, or the directory cannot be used
     */
    public static DirectoryLock take(Path dir, String what) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwx------")));
            }
            FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), EventLog.OWNER_ONLY);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                channel.close();
                throw new EventLogException(what + " " + dir + " is in use by another process (lock on "
                        + dir.resolve(LOCK_FILE) + " is held)");
            }
            return new DirectoryLock(channel, held);
        } catch (IOException e) {
            throw new EventLogException("cannot lock " + what + " " + dir + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The lock goes with the process anyway.
        }
    }
}
