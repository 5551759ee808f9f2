package io.statelesslb.eventlog;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** How the log makes a segment's bytes durable; a seam so that tests can make fsync fail. */
@FunctionalInterface
interface FileSync {

    /** The real thing: {@code fdatasync}-like, data and the metadata needed to read it back. */
    FileSync FORCE = channel -> channel.force(false);

    void force(FileChannel channel) throws IOException;
}
