package io.statelesslb.domain.command;

import io.statelesslb.domain.model.LoadBalancerSettings;

/**
 * Set the load balancer's own settings, nfqlb's options (all of them: what is not given is the default). Decided
 * into {@code LoadBalancerConfigured}.
 *
 * @param queues the queues, {@code FIRST:LAST} as nfqlb's {@code --queue} takes them ({@code 0:3}), or one number
 */
public record ConfigureLoadBalancer(String queues, int queueLength, boolean queueBypass, boolean failOpen,
                                    boolean promiscuousPing, long noLbFwmark, long noTargetsFwmark,
                                    int sctpUdpEncapsulationPort, boolean queueFanout)
        implements ConfigurationCommand {

    @Override
    public String name() {
        return LoadBalancerSettings.NAME;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.configureLoadBalancer(this);
    }
}
