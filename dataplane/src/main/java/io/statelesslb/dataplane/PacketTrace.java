package io.statelesslb.dataplane;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened to one packet in the dataplane: every step in order (chain and rule matched, queue, flow, stream,
 * slot, fwmark, ip rule, table, route, device, neighbour), and how it ended.
 *
 * @param outcome     how the packet left the dataplane, or why it was dropped
 * @param dropReason  the exact reason when {@code outcome} is {@link Outcome#DROPPED}
 * @param queuedBy    the nft rule that queued it to the load balancer, as listed with zero counters (null: none)
 * @param fwmark      the fwmark the load balancer set (0 when none)
 * @param egress      the interface the packet leaves by (null when dropped)
 * @param nextHop     the address it is sent to (null when dropped)
 * @param mac         the next hop's link-layer address when the neighbour table knows it
 */
public record PacketTrace(List<String> steps, Outcome outcome, String dropReason, String queuedBy, int fwmark,
                          String flow, String stream, String egress, String nextHop, String mac) {

    public PacketTrace {
        steps = List.copyOf(steps);
    }

    /** How a packet ended. */
    public enum Outcome {
        /** Load-balanced to a target over a conduit interface. */
        TO_TARGET,
        /** A reply from a VIP, sent to a gateway. */
        TO_GATEWAY,
        /** Neither to a VIP nor from one: the load balancer does not touch it. */
        NOT_LOAD_BALANCED,
        /** Held by the load balancer (a fragment waiting for its first fragment). */
        HELD,
        /** Dropped; see {@link PacketTrace#dropReason()}. */
        DROPPED
    }

    /** @return the same trace with one more step at the end (what happens after the outcome was decided) */
    public PacketTrace withStep(String step) {
        List<String> more = new ArrayList<>(steps);
        more.add(step);
        return new PacketTrace(more, outcome, dropReason, queuedBy, fwmark, flow, stream, egress, nextHop, mac);
    }

    /** @return the trace as lines for people */
    public String render() {
        StringBuilder out = new StringBuilder();
        steps.forEach(step -> out.append(step).append('\n'));
        out.append("=> ").append(outcome).append(dropReason != null ? ": " + dropReason : "").append('\n');
        return out.toString();
    }
}
