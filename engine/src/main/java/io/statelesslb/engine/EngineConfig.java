package io.statelesslb.engine;

import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.maglev.Maglev;
import java.util.List;

/**
 * What the engine decides with: the compiled flows, the Maglev table of each flow's stream, and the policy for
 * packets that cannot be load-balanced. Immutable; the engine switches to a new one atomically.
 *
 * @param maglevByFlow   the Maglev of the stream of flow i (same order as the classifier's flows)
 * @param noFlowFwmark   fwmark for packets that match no flow; 0 = drop (nfqlb's --nolb_fwmark)
 * @param noTargetsFwmark fwmark for packets whose stream has no active target; 0 = drop (--notargets_fwmark)
 * @param udpEncapsulationPort UDP port carrying encapsulated SCTP, 0 = none
 * @param lbTier         the Maglev table over the load-balancer instances, by which a fragmented datagram's owner is
 *                       found from its address hash; null when this instance is alone
 * @param ownFwmark      this instance's fwmark in {@code lbTier} (nfqlb's --ownfw)
 * @param lbTierIpv4     whether IPv4 fragments are sent to their owners (the instances have IPv4 addresses)
 * @param lbTierIpv6     whether IPv6 fragments are
 */
public record EngineConfig(FlowClassifier flows, List<Maglev> maglevByFlow, int noFlowFwmark, int noTargetsFwmark,
                           int udpEncapsulationPort, Maglev lbTier, int ownFwmark, boolean lbTierIpv4,
                           boolean lbTierIpv6) {

    /** An instance of an LB tier that sends fragments of both families to their owners, as nfqlb does. */
    public EngineConfig(FlowClassifier flows, List<Maglev> maglevByFlow, int noFlowFwmark, int noTargetsFwmark,
                        int udpEncapsulationPort, Maglev lbTier, int ownFwmark) {
        this(flows, maglevByFlow, noFlowFwmark, noTargetsFwmark, udpEncapsulationPort, lbTier, ownFwmark, true, true);
    }

    /** A single instance: no LB tier. */
    public EngineConfig(FlowClassifier flows, List<Maglev> maglevByFlow, int noFlowFwmark, int noTargetsFwmark,
                        int udpEncapsulationPort) {
        this(flows, maglevByFlow, noFlowFwmark, noTargetsFwmark, udpEncapsulationPort, null, 0, false, false);
    }

    public EngineConfig {
        if (maglevByFlow.size() != flows.size()) {
            throw new IllegalArgumentException(maglevByFlow.size() + " Maglev tables for " + flows.size()
                    + " flows (expected: one per flow)");
        }
        if (udpEncapsulationPort < 0 || udpEncapsulationPort > 65535) {
            throw new IllegalArgumentException("udpEncapsulationPort=" + udpEncapsulationPort
                    + " (expected: 0..65535)");
        }
        maglevByFlow = List.copyOf(maglevByFlow);
    }
}
