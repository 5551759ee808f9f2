package io.statelesslb.config;

import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.model.LoadBalancerSettings;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.state.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nfqlb's options as one source gives them ({@code slb run}'s flags, or a configuration file's
 * {@code loadBalancer:}): each absent one keeps what is set. Laid over the state's settings they give the command
 * that sets them, if anything changes.
 *
 * @param queues {@code FIRST:LAST}, as nfqlb's {@code --queue}
 */
public record LoadBalancerOptions(String queues, Integer queueLength, Boolean queueBypass, Boolean failOpen,
                                  Boolean promiscuousPing, Long noLbFwmark, Long noTargetsFwmark,
                                  Integer sctpUdpEncapsulationPort, Boolean queueFanout) {

    /** No option given. */
    public static final LoadBalancerOptions NONE = new LoadBalancerOptions(null, null, null, null, null, null, null,
            null, null);

    /** @return whether no option is given */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * @param over options that take precedence where given
     * @return these options with {@code over}'s where it gives them
     * @throws IllegalArgumentException naming each option both give, with different values: a flag that contradicts
     *                                  the file is a mistake to point out, not to settle silently
     */
    public LoadBalancerOptions and(LoadBalancerOptions over, String mine, String theirs) {
        List<String> conflicts = new ArrayList<>();
        LoadBalancerOptions merged = new LoadBalancerOptions(
                pick("queues", queues, over.queues, mine, theirs, conflicts),
                pick("queueLength", queueLength, over.queueLength, mine, theirs, conflicts),
                pick("queueBypass", queueBypass, over.queueBypass, mine, theirs, conflicts),
                pick("failOpen", failOpen, over.failOpen, mine, theirs, conflicts),
                pick("promiscuousPing", promiscuousPing, over.promiscuousPing, mine, theirs, conflicts),
                pick("noLbFwmark", noLbFwmark, over.noLbFwmark, mine, theirs, conflicts),
                pick("noTargetsFwmark", noTargetsFwmark, over.noTargetsFwmark, mine, theirs, conflicts),
                pick("sctpUdpEncapsulationPort", sctpUdpEncapsulationPort, over.sctpUdpEncapsulationPort, mine, theirs,
                        conflicts),
                pick("queueFanout", queueFanout, over.queueFanout, mine, theirs, conflicts));
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", conflicts));
        }
        return merged;
    }

    private static <T> T pick(String name, T mine, T theirs, String mineSource, String theirSource,
                              List<String> conflicts) {
        if (mine != null && theirs != null && !mine.equals(theirs)) {
            conflicts.add("loadBalancer." + name + " is " + mine + " in " + mineSource + " but " + theirs + " in "
                    + theirSource + " (expected: one value, or the option in one place)");
        }
        return theirs != null ? theirs : mine;
    }

    /**
     * @return the command that sets these options over the state's settings, or none when that changes nothing (or
     *         no option is given)
     */
    public Optional<ConfigureLoadBalancer> changeFrom(State state) {
        if (isEmpty()) {
            return Optional.empty();
        }
        LoadBalancerSettings held = state.trench().map(Trench::loadBalancer).getOrElse(LoadBalancerSettings.DEFAULTS);
        ConfigureLoadBalancer command = new ConfigureLoadBalancer(
                queues != null ? queues : held.firstQueue() + ":" + (held.firstQueue() + held.queues() - 1),
                queueLength != null ? queueLength : held.queueLength(),
                queueBypass != null ? queueBypass : held.queueBypass(),
                failOpen != null ? failOpen : held.failOpen(),
                promiscuousPing != null ? promiscuousPing : held.promiscuousPing(),
                noLbFwmark != null ? noLbFwmark : held.noLbFwmark(),
                noTargetsFwmark != null ? noTargetsFwmark : held.noTargetsFwmark(),
                sctpUdpEncapsulationPort != null ? sctpUdpEncapsulationPort : held.sctpUdpEncapsulationPort(),
                queueFanout != null ? queueFanout : held.queueFanout());
        // Decided as the log will decide it: the same settings, however spelled, are no change.
        boolean same = Decider.decide(state, command).fold(problems -> false,
                event -> event instanceof LoadBalancerConfigured configured && configured.settings().equals(held));
        return same ? Optional.empty() : Optional.of(command);
    }
}
