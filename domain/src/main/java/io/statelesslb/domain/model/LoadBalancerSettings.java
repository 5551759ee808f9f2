package io.statelesslb.domain.model;

/**
 * The load balancer's own settings, nfqlb's options: which NFQUEUE queues VIP traffic goes to and how they are read,
 * and how packets are decided that no flow or no target takes.
 *
 * @param firstQueue              the first queue ({@code --queue=0:3} is first 0, 4 queues)
 * @param queues                  how many queues, from {@code firstQueue}
 * @param queueLength             the longest a queue grows before the kernel drops (or, fail-open, accepts)
 * @param queueBypass             whether VIP traffic passes unbalanced while no process listens on the queues
 * @param failOpen                whether a packet that finds its queue full passes unbalanced instead of dropped
 * @param promiscuousPing         whether ICMP echoes match flows by address alone, ignoring protocols and ports
 * @param noLbFwmark              the fwmark of packets no flow takes (0: dropped)
 * @param noTargetsFwmark         the fwmark of packets whose flow's stream has no active target (0: dropped)
 * @param sctpUdpEncapsulationPort the UDP port SCTP is encapsulated on (RFC 6951), 0 for none
 * @param queueFanout             whether, over several queues, a packet goes to the queue of the CPU that received
 *                                it (the kernel's CPU fanout) rather than to one picked by a hash of its addresses
 */
public record LoadBalancerSettings(int firstQueue, int queues, int queueLength, boolean queueBypass, boolean failOpen,
                                   boolean promiscuousPing, long noLbFwmark, long noTargetsFwmark,
                                   int sctpUdpEncapsulationPort, boolean queueFanout) {

    /** The name the settings go by, as a configuration object. */
    public static final String NAME = "load-balancer";

    /** nfqlb's defaults, as the seed runs it but for promiscuous ping: queues 0-3 of 1024, no bypass, drops. */
    public static final LoadBalancerSettings DEFAULTS = new LoadBalancerSettings(0, 4, 1024, false, false, false, 0,
            0, 0, false);
}
