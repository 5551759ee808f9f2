package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.dataplane.routing.RoutingDaemon;
import io.statelesslb.dataplane.routing.RoutingException;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.GatewaySpec;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * BIRD's stand-in for the kernel adapter's own tests (the real one is the routing module's, tested with BIRD on both
 * sides): every session is up as soon as it is configured, and its gateway's default route is written into table 4096
 * as BIRD's kernel protocol writes it ({@code proto bird metric 32}); closing removes them, as BIRD does when it stops.
 */
final class StandInBird implements RoutingDaemon {

    private final TestNamespace namespace;
    private SortedMap<String, GatewaySpec> configured = TreeMap.empty();

    StandInBird(TestNamespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public synchronized void configure(SortedMap<String, GatewaySpec> gateways) {
        configured = gateways;
        for (Family family : Family.values()) {
            List<Gateway> hops = gateways.values().map(GatewaySpec::gateway)
                    .filter(gateway -> gateway.address().family() == family).toJavaList();
            String flag = family == Family.IPV4 ? "-4" : "-6";
            if (hops.isEmpty()) {
                flush(flag);
                continue;
            }
            List<String> command = new ArrayList<>(List.of(flag, "route", "replace", "default", "table", "4096",
                    "proto", "bird", "metric", "32"));
            for (Gateway hop : hops) {
                if (hops.size() > 1) {
                    command.add("nexthop");
                }
                command.addAll(List.of("via", hop.address().toString(), "dev", hop.interfaceName()));
            }
            try {
                namespace.ip(command.toArray(String[]::new));
            } catch (IllegalStateException e) {
                throw new RoutingException(e.getMessage());
            }
        }
    }

    private void flush(String flag) {
        namespace.ip(flag, "route", "flush", "table", "4096", "proto", "bird");
    }

    @Override
    public synchronized SortedMap<String, GatewaySpec> configured() {
        return configured;
    }

    @Override
    public synchronized List<GatewaySession> sessions() {
        return configured.values().map(spec -> new GatewaySession(spec.name(), true, "Established",
                Optional.empty(), Optional.empty(), 1, spec.announced(), "")).toJavaList();
    }

    @Override
    public void onChange(Runnable changed) {
        // Sessions never change on their own here.
    }

    @Override
    public List<String> incidents() {
        return List.of();
    }

    @Override
    public synchronized void close() {
        if (!configured.isEmpty()) {
            flush("-4");
            flush("-6");
        }
        configured = TreeMap.empty();
    }
}
