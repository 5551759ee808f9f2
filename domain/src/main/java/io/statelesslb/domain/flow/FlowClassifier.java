package io.statelesslb.domain.flow;

import io.statelesslb.domain.packet.PacketKey;
import io.statelesslb.domain.plan.FlowSpec;
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

    private final CompiledFlow[] byPriority;
    private final FlowSpec[] flows;
    private final boolean promiscuousPing;

    private FlowClassifier(List<FlowSpec> flows, boolean promiscuousPing) {
        this.flows = flows.toArray(FlowSpec[]::new);
        this.promiscuousPing = promiscuousPing;
        List<CompiledFlow> compiled = new ArrayList<>();
        for (int i = 0; i < this.flows.length; i++) {
            compiled.add(new CompiledFlow(this.flows[i], i));
        }
        // Stable: among equal priorities the flow defined first is tried first.
        compiled.sort(Comparator.comparingInt((CompiledFlow flow) -> flow.priority).reversed());
        this.byPriority = compiled.toArray(CompiledFlow[]::new);
    }

    /**
     * @param flows           in definition order; {@link #classify} answers an index into this list
     * @param promiscuousPing whether ICMP echo requests match flows by addresses alone
     */
    public static FlowClassifier compile(List<FlowSpec> flows, boolean promiscuousPing) {
        return new FlowClassifier(List.copyOf(flows), promiscuousPing);
    }

    /**
     * @param packet the packet the key was extracted from (for byte matches)
     * @param key    its key, already extracted (not rejected)
     * @return the index of the matching flow, or {@link #NO_FLOW}
     */
    public int classify(byte[] packet, int offset, int length, PacketKey key) {
        for (CompiledFlow flow : byPriority) {
            if (flow.matches(packet, offset, length, key, promiscuousPing)) {
                return flow.index;
            }
        }
        return NO_FLOW;
    }

    /** @return the flow at {@code index} of the compiled list */
    public FlowSpec flow(int index) {
        return flows[index];
    }

    /** @return how many flows were compiled */
    public int size() {
        return flows.length;
    }
}
