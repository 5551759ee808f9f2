package io.statelesslb.daemon.report;

import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.ConfigurationEvent;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.GatewaySessionDown;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.event.TargetRegistered;

/** One short line naming what an event is about, for tables of events (the JSON form carries every field). */
public final class EventSummary {

    private EventSummary() {
    }

    /** @return the object an event names, such as {@code stream-a/3 10.0.0.3} or {@code conduit-a} */
    public static String of(Event event) {
        if (event instanceof ConfigurationEvent configuration) {
            return configuration.name();
        } else if (event instanceof TargetRegistered registered) {
            return registered.stream() + "/" + registered.identifier() + " " + String.join(",", registered.ips());
        } else if (event instanceof TargetEvent target) {
            return target.stream() + "/" + target.identifier();
        } else if (event instanceof InterfaceUp up) {
            return up.name() + " " + String.join(" ", up.addresses());
        } else if (event instanceof InterfaceDown down) {
            return down.name();
        } else if (event instanceof NeighbourReachable reachable) {
            return reachable.address() + " dev " + reachable.interfaceName();
        } else if (event instanceof NeighbourFailed failed) {
            return failed.address() + " dev " + failed.interfaceName();
        } else if (event instanceof GatewaySessionUp up) {
            return up.gateway();
        } else if (event instanceof GatewaySessionDown down) {
            return down.gateway();
        } else if (event instanceof DriftObserved drift) {
            return "repair: " + drift.repair();
        } else if (event instanceof ApplyFailed failed) {
            return failed.operation() + ": " + failed.error() + " (" + failed.attempts() + " attempts)";
        }
        return ((ApplyRecovered) event).operations() + " operations applied";
    }
}
