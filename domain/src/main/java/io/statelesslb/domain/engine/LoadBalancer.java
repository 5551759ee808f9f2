package io.statelesslb.domain.engine;

import io.statelesslb.domain.flow.FlowClassifier;
import io.statelesslb.domain.maglev.Maglev;
import io.statelesslb.domain.maglev.MaglevTable;
import io.statelesslb.domain.packet.KeyExtractor;
import io.statelesslb.domain.packet.KeyResult;
import io.statelesslb.domain.packet.PacketKey;

/**
 * The packet path: raw IP bytes → key → flow → the flow's stream's Maglev table → fwmark, bit for bit as nfqlb
 * decides. {@link #decide} never throws and never allocates; configuration changes are published with one
 * volatile write and read once per packet, so a packet is decided wholly under one configuration.
 */
public final class LoadBalancer {

    private volatile Prepared prepared;

    /** The configuration with its tables unpacked into arrays for the packet path. */
    private static final class Prepared {
        final EngineConfig config;
        final FlowClassifier flows;
        final Maglev[] maglevByFlow;

        Prepared(EngineConfig config) {
            this.config = config;
            this.flows = config.flows();
            this.maglevByFlow = config.maglevByFlow().toArray(Maglev[]::new);
        }
    }

    public LoadBalancer(EngineConfig config) {
        this.prepared = new Prepared(config);
    }

    /** Switches to {@code config} for every packet decided from now on. */
    public void configure(EngineConfig config) {
        this.prepared = new Prepared(config);
    }

    /** @return the configuration in force */
    public EngineConfig config() {
        return prepared.config;
    }

    /**
     * Decides one packet.
     *
     * @param packet   holds the IP packet
     * @param offset   where it starts
     * @param length   its length as received
     * @param ipv6     whether it is IPv6
     * @param key      the thread's key, refilled
     * @param decision the thread's decision, refilled
     */
    public void decide(byte[] packet, int offset, int length, boolean ipv6, PacketKey key, PacketDecision decision) {
        Prepared current = prepared;
        decision.reset();
        int result = KeyExtractor.extract(packet, offset, length, ipv6, current.config.udpEncapsulationPort(), key);
        decision.keyResult = result;
        if (result == KeyResult.REJECTED) {
            fallBack(decision, DecisionReason.UNPARSEABLE, current.config.noFlowFwmark());
            return;
        }
        if ((result & KeyResult.LATER_FRAGMENT) != 0) {
            // Later fragments carry no ports; the fragment table (FragmentTable) resolves them.
            fallBack(decision, DecisionReason.FRAGMENT_UNKNOWN, current.config.noFlowFwmark());
            return;
        }
        int flow = current.flows.classify(packet, offset, length, key);
        if (flow == FlowClassifier.NO_FLOW) {
            fallBack(decision, DecisionReason.NO_FLOW, current.config.noFlowFwmark());
            return;
        }
        decision.flow = flow;
        Maglev.View view = current.maglevByFlow[flow].view();
        int hash = key.hash();
        decision.hash = hash;
        int slot = view.slotFor(hash);
        if (slot == MaglevTable.NONE) {
            fallBack(decision, DecisionReason.NO_TARGETS, current.config.noTargetsFwmark());
            return;
        }
        decision.slot = slot;
        decision.fwmark = view.fwmarkOf(slot);
        decision.verdict = Verdict.MARK;
        decision.reason = DecisionReason.LOAD_BALANCED;
    }

    private static void fallBack(PacketDecision decision, DecisionReason reason, int fwmark) {
        decision.reason = reason;
        decision.fwmark = fwmark;
        decision.verdict = fwmark == 0 ? Verdict.DROP : Verdict.MARK;
    }
}
