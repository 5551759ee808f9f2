package io.statelesslb.dataplane.routing;

import io.statelesslb.domain.plan.GatewaySpec;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import java.util.List;

/** Where no routing daemon runs: no session is ever configured, and asking for one is refused with the reason. */
final class NoRoutingDaemon implements RoutingDaemon {

    private final String why;

    NoRoutingDaemon(String why) {
        this.why = why;
    }

    @Override
    public void configure(SortedMap<String, GatewaySpec> gateways) {
        if (!gateways.isEmpty()) {
            throw new RoutingException(why);
        }
    }

    @Override
    public SortedMap<String, GatewaySpec> configured() {
        return TreeMap.empty();
    }

    @Override
    public List<GatewaySession> sessions() {
        return List.of();
    }

    @Override
    public void onChange(Runnable changed) {
        // Nothing ever changes.
    }

    @Override
    public List<String> incidents() {
        return List.of();
    }

    @Override
    public void close() {
        // Nothing runs.
    }
}
