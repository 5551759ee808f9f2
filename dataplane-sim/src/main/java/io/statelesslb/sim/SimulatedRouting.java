package io.statelesslb.sim;

import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.dataplane.routing.RoutingDaemon;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.GatewaySpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.RoutingTable;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulator's routing daemon: a session is up as soon as it is configured, for as long as its gateway answers and
 * its interface is up ({@link SimulatedHost#gatewayStops}); each gateway whose session is up gives the default route
 * a BIRD kernel protocol would write into the gateways' table, {@code default via GATEWAY dev IF proto bird metric
 * 32}.
 */
final class SimulatedRouting implements RoutingDaemon {

    private final SimulatedHost host;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private SortedMap<String, GatewaySpec> configured = TreeMap.empty();
    private SortedSet<String> lastUp = TreeSet.empty();

    SimulatedRouting(SimulatedHost host) {
        this.host = host;
    }

    @Override
    public void configure(SortedMap<String, GatewaySpec> gateways) {
        boolean changed;
        synchronized (this) {
            changed = !gateways.equals(configured);
            configured = gateways;
        }
        recheck(changed);
    }

    @Override
    public synchronized SortedMap<String, GatewaySpec> configured() {
        return configured;
    }

    @Override
    public synchronized List<GatewaySession> sessions() {
        List<GatewaySession> sessions = new ArrayList<>();
        for (GatewaySpec spec : configured.values()) {
            Gateway gateway = spec.gateway();
            boolean up = up(gateway);
            String state = gateway.protocol() == GatewayProtocol.BGP ? (up ? "Established" : "Active")
                    : (up ? "configured" : "unreachable");
            sessions.add(new GatewaySession(gateway.name(), up, state, Optional.empty(),
                    gateway.bfd() ? Optional.of(up ? "Up" : "Down") : Optional.empty(), up ? 1 : 0,
                    spec.announced(), up ? "" : "the gateway does not answer"));
        }
        return sessions;
    }

    /** @return the gateways' table in each family with a session up: one next hop per such gateway */
    synchronized SortedMap<RoutingTable, SortedSet<Nexthop>> learned() {
        SortedMap<RoutingTable, SortedSet<Nexthop>> routes = TreeMap.empty();
        for (Family family : Family.values()) {
            SortedSet<Nexthop> hops = configured.values().map(GatewaySpec::gateway)
                    .filter(gateway -> gateway.address().family() == family && up(gateway))
                    .map(gateway -> new Nexthop(gateway.address(), gateway.interfaceName()))
                    .toSortedSet();
            if (!hops.isEmpty()) {
                routes = routes.put(new RoutingTable(family, RoutingTable.GATEWAYS), hops);
            }
        }
        return routes;
    }

    private boolean up(Gateway gateway) {
        return host.gatewayReachable(gateway.address(), gateway.interfaceName());
    }

    /** Tells the listeners when the sessions changed, or one went up or down since the last look. */
    void recheck(boolean changed) {
        synchronized (this) {
            SortedSet<String> up = configured.values().map(GatewaySpec::gateway).filter(this::up)
                    .map(Gateway::name).toSortedSet();
            changed |= !up.equals(lastUp);
            lastUp = up;
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public void onChange(Runnable changed) {
        listeners.add(changed);
    }

    @Override
    public List<String> incidents() {
        return List.of();
    }

    @Override
    public synchronized void close() {
        configured = TreeMap.empty();
    }
}
