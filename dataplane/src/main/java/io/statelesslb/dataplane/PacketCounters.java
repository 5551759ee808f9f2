package io.statelesslb.dataplane;

import io.statelesslb.engine.DecisionReason;
import io.statelesslb.engine.PacketCounts;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a dataplane's load balancer decided, summed over its threads (each counts its own), and what the kernel's
 * queues dropped before it could decide. Counters only grow.
 *
 * @param byReason packets by decision reason
 * @param byFlow   packets each flow matched, by flow name
 * @param byTarget packets sent to each target, by stream then identifier
 * @param byQueue  each NFQUEUE queue's drops, by queue number (none on the simulator)
 */
public record PacketCounters(Map<DecisionReason, Long> byReason, Map<String, Long> byFlow,
                             Map<String, Map<Integer, Long>> byTarget, Map<Integer, QueueDrops> byQueue) {

    /**
     * What the kernel dropped of one queue ({@code /proc/net/netfilter/nfnetlink_queue}).
     *
     * @param full     packets dropped because the queue was full
     * @param unread   packets the kernel could not hand to the reading process (its socket buffer was full)
     */
    public record QueueDrops(long full, long unread) {
    }

    /** @return the counters of engines' counts, summed */
    public static PacketCounters of(Iterable<PacketCounts> engines, Map<Integer, QueueDrops> byQueue) {
        Map<DecisionReason, Long> byReason = new TreeMap<>();
        Map<String, Long> byFlow = new TreeMap<>();
        Map<String, Map<Integer, Long>> byTarget = new TreeMap<>();
        for (PacketCounts counts : engines) {
            for (DecisionReason reason : DecisionReason.values()) {
                byReason.merge(reason, counts.reason(reason), Long::sum);
            }
            counts.flows().forEach((flow, packets) -> byFlow.merge(flow, packets, Long::sum));
            counts.slots().forEach((stream, slots) -> {
                Map<Integer, Long> targets = byTarget.computeIfAbsent(stream, s -> new TreeMap<>());
                for (int slot = 0; slot < slots.length; slot++) {
                    if (slots[slot] != 0) {
                        targets.merge(slot + 1, slots[slot], Long::sum); // slot = identifier - 1
                    }
                }
            });
        }
        return new PacketCounters(byReason, byFlow, byTarget, Map.copyOf(byQueue));
    }

    /** @return every packet decided, whatever the decision */
    public long decided() {
        return byReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
