package io.statelesslb.domain.model;

/** The scope of one deployment; one daemon serves exactly one trench, with the load balancer's settings. */
public record Trench(String name, LoadBalancerSettings loadBalancer) {

    /** @return a newly named trench, with the default settings */
    public static Trench named(String name) {
        return new Trench(name, LoadBalancerSettings.DEFAULTS);
    }

    /** @return this trench with other settings */
    public Trench with(LoadBalancerSettings settings) {
        return new Trench(name, settings);
    }
}
