package io.statelesslb.dataplane.routing;

import io.statelesslb.domain.plan.GatewaySpec;
import io.vavr.collection.SortedMap;
import java.util.List;

/**
 * The routing daemon a dataplane runs its gateway sessions in: it announces the VIPs over them and writes the default
 * routes they learn into the gateways' table (4096). BIRD on a real machine; a simulation in the simulator.
 */
public interface RoutingDaemon extends AutoCloseable {

    /** @return a routing daemon that runs nothing and refuses any session, saying {@code why} */
    static RoutingDaemon none(String why) {
        return new NoRoutingDaemon(why);
    }

    /**
     * Runs exactly these sessions, each announcing what it holds; sessions not named stop. Atomic: a configuration the
     * daemon refuses leaves the one it runs in place.
     *
     * @param gateways the sessions, by gateway name
     * @throws RoutingException when the daemon cannot run them, in its own words
     */
    void configure(SortedMap<String, GatewaySpec> gateways);

    /** @return the sessions the daemon runs now, as last configured; empty when it does not run */
    SortedMap<String, GatewaySpec> configured();

    /** @return each configured session's state as the daemon reports it, in gateway-name order */
    List<GatewaySession> sessions();

    /** Registers what runs when a session's state changes or the daemon restarts. */
    void onChange(Runnable changed);

    /** @return restarts and failures of the daemon since the last call, each once, in the order they happened */
    List<String> incidents();

    /** Withdraws every announcement and stops the daemon. */
    @Override
    void close();
}
