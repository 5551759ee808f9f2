package io.statelesslb.domain.plan;

import io.statelesslb.domain.model.LoadBalancerSettings;
import io.vavr.control.Option;

/**
 * How the load-balancing process reads its queues and decides the packets no flow or no target takes: the part of
 * nfqlb's options that is the process's, not the kernel's tables'.
 *
 * @param queueLength           the longest each queue grows before the kernel drops (or, fail-open, accepts)
 * @param failOpen              whether a packet that finds its queue full passes unbalanced
 * @param promiscuousPing       whether ICMP echoes match flows by address alone
 * @param noLbFwmark            the fwmark of packets no flow takes (0: dropped)
 * @param noTargetsFwmark       the fwmark of packets whose stream has no active target (0: dropped)
 * @param udpEncapsulationPort  the UDP port SCTP is encapsulated on, 0 for none
 * @param tier                  the LB tier this instance shares fragments in, none when it is alone
 */
public record EngineOptions(int queueLength, boolean failOpen, boolean promiscuousPing, int noLbFwmark,
                            int noTargetsFwmark, int udpEncapsulationPort, Option<TierPlan> tier) {

    /** Options without an LB tier. */
    public EngineOptions(int queueLength, boolean failOpen, boolean promiscuousPing, int noLbFwmark,
                         int noTargetsFwmark, int udpEncapsulationPort) {
        this(queueLength, failOpen, promiscuousPing, noLbFwmark, noTargetsFwmark, udpEncapsulationPort,
                Option.none());
    }

    /** nfqlb's defaults. */
    public static final EngineOptions DEFAULTS = of(LoadBalancerSettings.DEFAULTS);

    /** @return the process's part of {@code settings} (fwmarks as the 32 bits the kernel holds) */
    public static EngineOptions of(LoadBalancerSettings settings) {
        return new EngineOptions(settings.queueLength(), settings.failOpen(), settings.promiscuousPing(),
                (int) settings.noLbFwmark(), (int) settings.noTargetsFwmark(), settings.sctpUdpEncapsulationPort());
    }

    /** @return these options in the LB tier {@code tier} (or alone, when none) */
    public EngineOptions withTier(Option<TierPlan> tier) {
        return new EngineOptions(queueLength, failOpen, promiscuousPing, noLbFwmark, noTargetsFwmark,
                udpEncapsulationPort, tier);
    }
}
