package io.statelesslb.domain.engine;

import io.statelesslb.domain.flow.FlowClassifier;
import io.statelesslb.domain.maglev.Maglev;
import io.statelesslb.domain.maglev.PermutationCache;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.StreamPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dataplane's engine needs from what is applied: a Maglev table per stream, kept across applies and
 * repopulated only when the stream's slots change, and the flows compiled in priority order. Both dataplanes load
 * their engines through it, so they decide alike. Not thread-safe: called from the applying thread.
 */
public final class EngineTables {

    private final boolean promiscuousPing;
    private final PermutationCache permutations = new PermutationCache();
    private final Map<String, Maglev> maglevs = new HashMap<>();
    private final Map<String, StreamPlan> populated = new HashMap<>();

    /** @param promiscuousPing whether ICMP echoes match flows by address alone (nfqlb's --promiscuous_ping) */
    public EngineTables(boolean promiscuousPing) {
        this.promiscuousPing = promiscuousPing;
    }

    /** @return the engine's configuration for {@code spec}: no-flow and no-target packets dropped */
    public EngineConfig configure(DataplaneSpec spec) {
        maglevs.keySet().removeIf(stream -> !spec.streams().containsKey(stream));
        populated.keySet().removeIf(stream -> !spec.streams().containsKey(stream));
        for (StreamPlan stream : spec.streams().values()) {
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
        }
        List<FlowSpec> flows = spec.flows().values().toJavaList();
        List<Maglev> byFlow = new ArrayList<>();
        flows.forEach(flow -> byFlow.add(maglevs.get(flow.stream())));
        return new EngineConfig(FlowClassifier.compile(flows, promiscuousPing), byFlow, 0, 0, 0);
    }
}
