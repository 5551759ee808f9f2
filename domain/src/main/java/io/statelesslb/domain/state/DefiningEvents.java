package io.statelesslb.domain.state;

import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.event.StreamDefined;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.model.LoadBalancerSettings;
import io.statelesslb.domain.model.Trench;
import java.util.List;

/**
 * Each configuration object of a state as the event that defines it: what the API lists (so that what is read can
 * be written back), and what a snapshot holds. Sorted by name, so equal states give equal lists.
 */
public final class DefiningEvents {

    private DefiningEvents() {
    }

    /** @return the load balancer's settings when they are not the defaults, none otherwise */
    public static List<LoadBalancerConfigured> loadBalancer(State state) {
        return state.trench().map(Trench::loadBalancer).filter(settings -> !settings.equals(
                LoadBalancerSettings.DEFAULTS)).map(LoadBalancerConfigured::of).toJavaList();
    }

    /** @return the trench's definition, none before one is defined */
    public static List<TrenchDefined> trench(State state) {
        return state.trench().map(trench -> new TrenchDefined(trench.name())).toJavaList();
    }

    public static List<ConduitDefined> conduits(State state) {
        return state.conduits().values().map(c -> new ConduitDefined(c.name(), c.interfacePrefix(),
                c.destinationPortNats())).toJavaList();
    }

    public static List<StreamDefined> streams(State state) {
        return state.streams().values().map(s -> new StreamDefined(s.name(), s.conduit(), s.maxTargets()))
                .toJavaList();
    }

    public static List<FlowDefined> flows(State state) {
        return state.flows().values().map(f -> new FlowDefined(f.name(), f.stream(), f.priority(),
                f.protocols().toJavaList(), f.sourceSubnets().toJavaList(), f.sourcePorts().toJavaList(),
                f.destinationPorts().toJavaList(), f.vips().toJavaList(), f.byteMatches().toJavaList())).toJavaList();
    }

    public static List<VipDefined> vips(State state) {
        return state.vips().values().map(v -> new VipDefined(v.name(), v.address())).toJavaList();
    }

    public static List<AttractorDefined> attractors(State state) {
        return state.attractors().values().map(a -> new AttractorDefined(a.name(), a.vips().toJavaList(),
                a.gateways().toJavaList())).toJavaList();
    }

    public static List<GatewayDefined> gateways(State state) {
        return state.gateways().values().map(g -> new GatewayDefined(g.name(), g.address(), g.interfaceName(),
                g.protocol(), g.bfd(), g.remoteAsn(), g.localAsn(), g.options())).toJavaList();
    }
}
