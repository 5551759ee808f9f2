package io.statelesslb.domain.state;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.model.Vip;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;

/**
 * The desired state of the trench: every configuration object, every registered target, and the latest
 * observations of the kernel and the gateways. Built only by {@link #apply folding} events; persistent
 * collections, sorted, so that equal histories give equal states and a deterministic iteration order.
 *
 * <p>Two things are allocated here rather than computed by the plan, because they depend on history: each
 * stream's fwmark offset ({@code fwmarkOffsets}) and each target's rule priority. Keeping them in the state is
 * what makes a restart or a replay give every target the same fwmark and the same ip rule.
 *
 * @param targets           registered targets by stream, then identifier; a stream without targets has no entry
 * @param rulePriorities    the rule priorities held by targets (an index over {@code targets} for allocation)
 * @param gatewaySessions   the last reported session state per gateway
 */
public record State(
        Option<Trench> trench,
        SortedMap<String, Conduit> conduits,
        SortedMap<String, Stream> streams,
        SortedMap<String, Integer> fwmarkOffsets,
        SortedMap<String, Flow> flows,
        SortedMap<String, Vip> vips,
        SortedMap<String, Attractor> attractors,
        SortedMap<String, Gateway> gateways,
        SortedMap<String, SortedMap<Integer, Target>> targets,
        SortedSet<Integer> rulePriorities,
        SortedMap<String, NetworkInterface> interfaces,
        SortedMap<IpAddress, Neighbour> neighbours,
        SortedMap<String, Boolean> gatewaySessions) {

    private static final State EMPTY = new State(Option.none(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(),
            TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeSet.empty(),
            TreeMap.empty(), TreeMap.empty(), TreeMap.empty());

    /** @return the state before any event */
    public static State empty() {
        return EMPTY;
    }

    /**
     * Folds one event into this state.
     *
     * @param event to fold
     * @return the next state, or the rejection with every problem found
     */
    public Outcome fold(Event event) {
        return Fold.fold(this, event);
    }

    /**
     * Folds one event, ignoring a rejection.
     *
     * @param event to fold
     * @return the next state; this same instance when the event was rejected or changed nothing
     */
    public State apply(Event event) {
        return fold(event) instanceof Outcome.Accepted accepted ? accepted.state() : this;
    }

    /** @return the targets registered in {@code stream}, by identifier */
    public SortedMap<Integer, Target> targetsOf(String stream) {
        return targets.get(stream).getOrElse(TreeMap.empty());
    }

    /** @return the target registered in {@code stream} under {@code identifier}, if any */
    public Option<Target> target(String stream, int identifier) {
        return targets.get(stream).flatMap(byId -> byId.get(identifier));
    }

    /** @return the number of registered targets in all streams */
    public int targetCount() {
        return targets.values().map(SortedMap::size).sum().intValue();
    }

    /** @return whether {@code gateway} may carry traffic: its session is up, or it is static and not reported down */
    public boolean gatewayUsable(Gateway gateway) {
        return gatewaySessions.get(gateway.name()).getOrElse(gateway.protocol() == GatewayProtocol.STATIC);
    }

    State withTrench(Option<Trench> trench) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withConduits(SortedMap<String, Conduit> conduits) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withStreams(SortedMap<String, Stream> streams, SortedMap<String, Integer> fwmarkOffsets) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withFlows(SortedMap<String, Flow> flows) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withVips(SortedMap<String, Vip> vips) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withAttractors(SortedMap<String, Attractor> attractors) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withGateways(SortedMap<String, Gateway> gateways, SortedMap<String, Boolean> gatewaySessions) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withTargets(SortedMap<String, SortedMap<Integer, Target>> targets, SortedSet<Integer> rulePriorities) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withInterfaces(SortedMap<String, NetworkInterface> interfaces) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }

    State withNeighbours(SortedMap<IpAddress, Neighbour> neighbours) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, interfaces, neighbours, gatewaySessions);
    }
}
