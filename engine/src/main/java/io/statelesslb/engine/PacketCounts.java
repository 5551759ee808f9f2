package io.statelesslb.engine;

import io.statelesslb.engine.flow.FlowRule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one engine decided, counted on its own packet thread: packets by decision reason, by flow, and by stream and
 * Maglev slot (a slot is a target). Counting is three stores per packet into arrays no other thread writes, so
 * nothing is contended; readers sum the engines of every thread when they want a total. Flows and streams are counted
 * by name, so that their counts live through configuration changes.
 */
public final class PacketCounts {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final DecisionReason[] REASONS = DecisionReason.values();

    private final long[] byReason = new long[REASONS.length];
    private final Map<String, long[]> byFlow = new ConcurrentHashMap<>();
    private final Map<String, long[]> byStreamSlot = new ConcurrentHashMap<>();

    /** Where a configuration's flow indexes count: each flow's counter, and its stream's counters by slot. */
    static final class Layout {
        final long[][] flows;
        final long[][] slots;

        private Layout(long[][] flows, long[][] slots) {
            this.flows = flows;
            this.slots = slots;
        }
    }

    /** @return where the flows of {@code config} count (off the packet path: it may create counters) */
    Layout layout(EngineConfig config) {
        int count = config.flows().size();
        long[][] flows = new long[count][];
        long[][] slots = new long[count][];
        for (int i = 0; i < count; i++) {
            FlowRule flow = config.flows().flow(i);
            flows[i] = byFlow.computeIfAbsent(flow.name(), name -> new long[1]);
            int n = config.maglevByFlow().get(i).n();
            slots[i] = byStreamSlot.compute(flow.stream(), (stream, held) -> held != null && held.length == n
                    ? held : new long[n]);
        }
        return new Layout(flows, slots);
    }

    /** Counts one decision (the packet thread's only). */
    void count(Layout layout, PacketDecision decision) {
        add(byReason, decision.reason);
        int flow = decision.flow;
        if (flow >= 0 && flow < layout.flows.length) {
            add(layout.flows[flow], 0);
            int slot = decision.slot;
            if (slot >= 0 && slot < layout.slots[flow].length) {
                add(layout.slots[flow], slot);
            }
        }
    }

    /** A single writer's increment: a plain read, an opaque write that readers see whole. */
    private static void add(long[] counters, int index) {
        LONGS.setOpaque(counters, index, (long) LONGS.getOpaque(counters, index) + 1);
    }

    private static long read(long[] counters, int index) {
        return (long) LONGS.getOpaque(counters, index);
    }

    /** @return the packets decided for {@code reason} */
    public long reason(DecisionReason reason) {
        return read(byReason, reason.ordinal());
    }

    /** @return the packets each flow matched, by flow name */
    public Map<String, Long> flows() {
        Map<String, Long> copy = new TreeMap<>();
        byFlow.forEach((name, counter) -> copy.put(name, read(counter, 0)));
        return copy;
    }

    /** @return the packets sent to each slot of each stream, by stream name, slot-indexed */
    public Map<String, long[]> slots() {
        Map<String, long[]> copy = new TreeMap<>();
        byStreamSlot.forEach((stream, counters) -> {
            long[] values = new long[counters.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = read(counters, i);
            }
            copy.put(stream, values);
        });
        return copy;
    }
}
