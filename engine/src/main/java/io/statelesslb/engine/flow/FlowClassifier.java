package io.statelesslb.engine.flow;

import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Classifies packets into flows as nfqlb does: flows are tried from the highest priority down and the first whose
 * every criterion holds wins. Immutable once compiled; the packet path allocates nothing.
 */
public final class FlowClassifier {

    /** What {@link #classify} returns when no flow matches. */
    public static final int NO_FLOW = -1;

    /** Protocol classes of the index: tcp, udp, sctp, and every other protocol. */
    private static final int CLASSES = 4;
    private static final int OTHER = 3;

    private final CompiledFlow[] byPriority;
    private final FlowRule[] flows;
    private final boolean promiscuousPing;
    /** Per protocol class: destination port → interval number. */
    private final char[][] intervalOfPort = new char[CLASSES][];
    /** Per protocol class and interval: the flows that may match there, highest priority first. */
    private final CompiledFlow[][][] candidates = new CompiledFlow[CLASSES][][];

    private FlowClassifier(List<FlowRule> flows, boolean promiscuousPing) {
        this.flows = flows.toArray(FlowRule[]::new);
        this.promiscuousPing = promiscuousPing;
        List<CompiledFlow> compiled = new ArrayList<>();
        for (int i = 0; i < this.flows.length; i++) {
            compiled.add(new CompiledFlow(this.flows[i], i));
        }
        // Stable: among equal priorities the flow defined first is tried first.
        compiled.sort(Comparator.comparingInt((CompiledFlow flow) -> flow.priority).reversed());
        this.byPriority = compiled.toArray(CompiledFlow[]::new);
        for (int protocolClass = 0; protocolClass < CLASSES; protocolClass++) {
            index(protocolClass);
        }
    }

    /**
     * Indexes the flows a packet of one protocol class can match by destination port: the port line is cut at
     * every range boundary into intervals, and each interval keeps, in priority order, the flows whose
     * destination ports cover it (or that have none). A packet then tries only those, with the same first-match
     * semantics as the full scan, so the cost stays flat as flows on other ports pile up.
     */
    private void index(int protocolClass) {
        List<CompiledFlow> eligible = new ArrayList<>();
        for (CompiledFlow flow : byPriority) {
            if (flow.admitsProtocolClass(protocolClass)) {
                eligible.add(flow);
            }
        }
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>(List.of(0));
        for (CompiledFlow flow : eligible) {
            int[] ranges = flow.destinationPortRanges();
            for (int i = 0; i < ranges.length; i += 2) {
                cuts.add(ranges[i]);
                if (ranges[i + 1] < 65535) {
                    cuts.add(ranges[i + 1] + 1);
                }
            }
        }
        int[] starts = cuts.stream().mapToInt(Integer::intValue).toArray();
        char[] intervals = new char[65536];
        CompiledFlow[][] lists = new CompiledFlow[starts.length][];
        for (int interval = 0; interval < starts.length; interval++) {
            int first = starts[interval];
            int last = interval + 1 < starts.length ? starts[interval + 1] - 1 : 65535;
            java.util.Arrays.fill(intervals, first, last + 1, (char) interval);
            List<CompiledFlow> covering = new ArrayList<>();
            for (CompiledFlow flow : eligible) {
                if (flow.coversDestinationPort(first)) {
                    covering.add(flow);
                }
            }
            lists[interval] = covering.toArray(CompiledFlow[]::new);
        }
        intervalOfPort[protocolClass] = intervals;
        candidates[protocolClass] = lists;
    }

    /**
     * @param flows           in definition order; {@link #classify} answers an index into this list
     * @param promiscuousPing whether ICMP echo requests match flows by addresses alone
     */
    public static FlowClassifier compile(List<FlowRule> flows, boolean promiscuousPing) {
        return new FlowClassifier(List.copyOf(flows), promiscuousPing);
    }

    /**
     * @param packet the packet the key was extracted from (for byte matches)
     * @param key    its key, already extracted (not rejected)
     * @return the index of the matching flow, or {@link #NO_FLOW}
     */
    public int classify(byte[] packet, int offset, int length, PacketKey key) {
        // Promiscuous ping ignores protocols and ports, so echoes cannot use the index.
        int protocolClass = protocolClass(key.protocol());
        CompiledFlow[] tried = promiscuousPing && (key.result() & KeyResult.ICMP_NO_INNER_PACKET) != 0
                ? byPriority
                : candidates[protocolClass][intervalOfPort[protocolClass][key.destinationPort()]];
        for (CompiledFlow flow : tried) {
            if (flow.matches(packet, offset, length, key, promiscuousPing)) {
                return flow.index;
            }
        }
        return NO_FLOW;
    }

    private static int protocolClass(int protocol) {
        switch (protocol) {
            case 6:
                return 0;
            case 17:
                return 1;
            case 132:
                return 2;
            default:
                return OTHER;
        }
    }

    /**
     * Tries every flow in priority order and tells why each one fails, up to the one that matches: the slow,
     * allocating path behind traces. Uses the very same checks as {@link #classify}.
     */
    public java.util.List<FlowAttempt> explain(byte[] packet, int offset, int length, PacketKey key) {
        java.util.List<FlowAttempt> attempts = new ArrayList<>();
        for (CompiledFlow flow : byPriority) {
            Mismatch mismatch = flow.mismatch(packet, offset, length, key, promiscuousPing);
            attempts.add(new FlowAttempt(flow.rule.name(), flow.priority, mismatch));
            if (mismatch == Mismatch.NONE) {
                break;
            }
        }
        return attempts;
    }

    /** One flow tried for a packet, and the first criterion it failed ({@link Mismatch#NONE} when it matched). */
    public record FlowAttempt(String flow, int priority, Mismatch mismatch) {
    }

    /** @return the flow at {@code index} of the compiled list */
    public FlowRule flow(int index) {
        return flows[index];
    }

    /** @return how many flows were compiled */
    public int size() {
        return flows.length;
    }
}
