package io.statelesslb.domain.event;

import io.statelesslb.domain.model.LoadBalancerSettings;

/** The load balancer's own settings (nfqlb's options) were set; see {@link LoadBalancerSettings}. */
public record LoadBalancerConfigured(int firstQueue, int queues, int queueLength, boolean queueBypass,
                                     boolean failOpen, boolean promiscuousPing, long noLbFwmark,
                                     long noTargetsFwmark, int sctpUdpEncapsulationPort, boolean queueFanout)
        implements ConfigurationEvent {

    /** @return the event that sets {@code settings} */
    public static LoadBalancerConfigured of(LoadBalancerSettings settings) {
        return new LoadBalancerConfigured(settings.firstQueue(), settings.queues(), settings.queueLength(),
                settings.queueBypass(), settings.failOpen(), settings.promiscuousPing(), settings.noLbFwmark(),
                settings.noTargetsFwmark(), settings.sctpUdpEncapsulationPort(), settings.queueFanout());
    }

    /** @return the settings it sets */
    public LoadBalancerSettings settings() {
        return new LoadBalancerSettings(firstQueue, queues, queueLength, queueBypass, failOpen, promiscuousPing,
                noLbFwmark, noTargetsFwmark, sctpUdpEncapsulationPort, queueFanout);
    }

    @Override
    public String name() {
        return LoadBalancerSettings.NAME;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.loadBalancerConfigured(this);
    }
}
