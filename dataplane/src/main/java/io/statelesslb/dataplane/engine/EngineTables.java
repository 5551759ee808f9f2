package io.statelesslb.dataplane.engine;

import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.EngineOptions;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TierPlan;
import io.statelesslb.engine.EngineConfig;
import io.statelesslb.engine.flow.ByteComparison;
import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.flow.FlowRule;
import io.statelesslb.engine.flow.PortInterval;
import io.statelesslb.engine.flow.Prefix;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.PermutationCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge from the plan to the packet path: a Maglev table per stream, kept across applies and repopulated only
 * when the stream's slots change, the LB tier's table likewise, and the flows turned into the engine's rules in the
 * plan's order. Both dataplanes load their engines through it, so they decide alike. Not thread-safe: called from
 * the applying thread.
 */
public final class EngineTables {

    private final PermutationCache permutations = new PermutationCache();
    private final Map<String, Maglev> maglevs = new HashMap<>();
    private final Map<String, StreamPlan> populated = new HashMap<>();
    private Maglev tier;
    private TierPlan tierPopulated;

    /**
     * @return the engine's configuration for {@code spec}: its flows over its streams' Maglev tables, deciding as its
     *         engine options say (promiscuous ping, the fwmarks of packets no flow or no target takes)
     */
    public EngineConfig configure(DataplaneSpec spec) {
        maglevs.keySet().removeIf(stream -> !spec.streams().containsKey(stream));
        populated.keySet().removeIf(stream -> !spec.streams().containsKey(stream));
        for (StreamPlan stream : spec.streams().values()) {
            maglev(stream);
        }
        List<FlowRule> flows = new ArrayList<>();
        List<Maglev> byFlow = new ArrayList<>();
        for (FlowSpec flow : spec.flows().values()) {
            flows.add(rule(flow));
            byFlow.add(maglevs.get(flow.stream()));
        }
        EngineOptions options = spec.engine();
        FlowClassifier classifier = FlowClassifier.compile(flows, options.promiscuousPing());
        if (options.tier().isEmpty()) {
            tier = null;
            tierPopulated = null;
            return new EngineConfig(classifier, byFlow, options.noLbFwmark(), options.noTargetsFwmark(),
                    options.udpEncapsulationPort());
        }
        TierPlan plan = options.tier().get();
        return new EngineConfig(classifier, byFlow, options.noLbFwmark(), options.noTargetsFwmark(),
                options.udpEncapsulationPort(), tier(plan), plan.ownFwmark(), plan.family() == Family.IPV4,
                plan.family() == Family.IPV6);
    }

    /** @return the LB tier's Maglev table, populated with its instances (kept when they did not change) */
    private Maglev tier(TierPlan plan) {
        if (tier == null || tierPopulated == null || !tierPopulated.maglev().equals(plan.maglev())) {
            tier = new Maglev(plan.maglev().requestedM(), plan.maglev().n(), permutations);
            tierPopulated = null;
        }
        if (tierPopulated == null || !tierPopulated.slots().equals(plan.slots())) {
            int[] fwmarks = new int[plan.maglev().n()];
            plan.slots().forEach(slot -> fwmarks[slot._1] = slot._2);
            tier.setAll(fwmarks);
        }
        tierPopulated = plan;
        return tier;
    }

    /** @return the stream's Maglev table, populated with its active slots (kept when nothing changed) */
    public Maglev maglev(StreamPlan stream) {
        Maglev maglev = maglevs.get(stream.stream());
        StreamPlan before = populated.get(stream.stream());
        if (maglev == null || before == null || !before.maglev().equals(stream.maglev())) {
            maglev = new Maglev(stream.maglev().requestedM(), stream.maglev().n(), permutations);
            maglevs.put(stream.stream(), maglev);
            before = null;
        }
        if (before == null || before.slots() != stream.slots()) {
            int[] fwmarks = new int[stream.maglev().n()];
            stream.slots().forEach(slot -> fwmarks[slot._1] = slot._2);
            maglev.setAll(fwmarks);
        }
        populated.put(stream.stream(), stream);
        return maglev;
    }

    /** @return the flow as the engine takes it: addresses in their IPv6 form, numbers for protocols */
    public static FlowRule rule(FlowSpec flow) {
        return new FlowRule(flow.name(), flow.stream(), flow.priority(),
                flow.protocols().toList().map(Protocol::number).toJavaList(),
                flow.destinations().toList().map(EngineTables::prefix).toJavaList(),
                flow.sourceSubnets().toList().map(EngineTables::prefix).toJavaList(),
                flow.destinationPorts().toList().map(EngineTables::ports).toJavaList(),
                flow.sourcePorts().toList().map(EngineTables::ports).toJavaList(),
                flow.byteMatches().map(EngineTables::comparison).toJavaList());
    }

    private static Prefix prefix(Cidr cidr) {
        Cidr mapped = cidr.toIpv6Mapped();
        return new Prefix(mapped.address().high(), mapped.address().low(), mapped.prefixLength());
    }

    private static PortInterval ports(PortRange range) {
        return new PortInterval(range.first(), range.last());
    }

    private static ByteComparison comparison(ByteMatch match) {
        return new ByteComparison(match.header().protocol(), match.offset(), match.width(), match.mask(),
                match.value());
    }
}
