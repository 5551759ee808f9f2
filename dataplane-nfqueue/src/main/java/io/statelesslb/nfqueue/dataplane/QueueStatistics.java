package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.PacketCounters;
import io.statelesslb.nfqueue.netlink.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's own counts of each NFQUEUE queue, as {@code cat /proc/net/netfilter/nfnetlink_queue} shows them in
 * the load balancer's network namespace: per bound queue its number, peer port id, packets waiting, copy mode and
 * range, packets dropped because the queue was full, packets the kernel could not hand over, the last packet id.
 */
final class QueueStatistics {

    /** Read from the reading thread's own namespace, which {@link NetworkNamespace#call} sets. */
    private static final Path FILE = Path.of("/proc/thread-self/net/netfilter/nfnetlink_queue");

    private QueueStatistics() {
    }

    /** @return each bound queue's drops; none when no queue is bound (the file is then missing or empty) */
    static Map<Integer, PacketCounters.QueueDrops> read(Path namespace) {
        return NetworkNamespace.call(namespace, () -> {
            try {
                return parse(Files.exists(FILE) ? Files.readString(FILE) : "");
            } catch (IOException e) {
                return Map.of();
            }
        });
    }

    /** @return the drops of each line {@code queue portid waiting mode range dropped unread id 1} */
    static Map<Integer, PacketCounters.QueueDrops> parse(String text) {
        Map<Integer, PacketCounters.QueueDrops> drops = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 7) {
                try {
                    drops.put(Integer.parseInt(fields[0]), new PacketCounters.QueueDrops(Long.parseLong(fields[5]),
                            Long.parseLong(fields[6])));
                } catch (NumberFormatException e) {
                    // a line of another format: not counted
                }
            }
        }
        return drops;
    }
}
