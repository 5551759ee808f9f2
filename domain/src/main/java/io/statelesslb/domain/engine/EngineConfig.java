package io.statelesslb.domain.engine;

import io.statelesslb.domain.flow.FlowClassifier;
import io.statelesslb.domain.maglev.Maglev;
import java.util.List;

/**
 * What the engine decides with: the compiled flows, the Maglev table of each flow's stream, and the policy for
 * packets that cannot be load-balanced. Immutable; the engine switches to a new one atomically.
 *
 * @param maglevByFlow   the Maglev of the stream of flow i (same order as the classifier's flows)
 * @param noFlowFwmark   fwmark for packets that match no flow; 0 = drop (nfqlb's --nolb_fwmark)
 * @param noTargetsFwmark fwmark for packets whose stream has no active target; 0 = drop (--notargets_fwmark)
 * @param udpEncapsulationPort UDP port carrying encapsulated SCTP, 0 = none
 */
public record EngineConfig(FlowClassifier flows, List<Maglev> maglevByFlow, int noFlowFwmark, int noTargetsFwmark,
                           int udpEncapsulationPort) {

    public EngineConfig {
        if (maglevByFlow.size() != flows.size()) {
            throw new IllegalArgumentException(maglevByFlow.size() + " Maglev tables for " + flows.size()
                    + " flows (expected: one per flow)");
        }
        if (udpEncapsulationPort < 0 || udpEncapsulationPort > 65535) {
            throw new IllegalArgumentException("udpEncapsulationPort=" + udpEncapsulationPort + " (expected: 0..65535)");
        }
        maglevByFlow = List.copyOf(maglevByFlow);
    }
}
