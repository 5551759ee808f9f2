package io.statelesslb.domain.state;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.model.Instance;
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
 * observations of the kernel and the gateways. Built only by {@link #evolve evolving} events; persistent
 * collections, sorted, so that equal histories give equal states and a deterministic iteration order.
 *
 * <p>Two things are allocated here rather than computed by the plan, because they depend on history: each
 * stream's fwmark offset ({@code fwmarkOffsets}) and each target's rule priority. Keeping them in the state is
 * what makes a restart or a replay give every target the same fwmark and the same ip rule.
 *
 * <p>Two indexes over {@code targets} keep a registration O(log n) on streams of a thousand targets:
 * {@code rulePriorities} and {@code addressOwners}. They are maintained by {@link #withTarget} and
 * {@link #withoutTarget} only, and rebuilt from the targets by {@link #of}, so they cannot drift.
 *
 * @param targets           registered targets by stream, then identifier; a stream without targets has no entry
 * @param rulePriorities    the counted-down rule priorities (1..99) held by targets
 * @param addressOwners     which identifier holds each address within a stream
 * @param gatewaySessions   the last reported session state per gateway
 * @param instances         the instances of the trench's LB tier, by name
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
        SortedMap<TargetAddress, Integer> addressOwners,
        SortedMap<String, NetworkInterface> interfaces,
        SortedMap<IpAddress, Neighbour> neighbours,
        SortedMap<String, Boolean> gatewaySessions,
        SortedMap<String, Instance> instances) {

    private static final State EMPTY = new State(Option.none(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(),
            TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeSet.empty(),
            TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty(), TreeMap.empty());

    /** @return the state before any event */
    public static State empty() {
        return EMPTY;
    }

    /**
     * Builds a state from its parts, as a snapshot holds them; the indexes are derived from {@code targets}.
     *
     * @return the state with these parts
     */
    public static State of(Option<Trench> trench, SortedMap<String, Conduit> conduits,
                           SortedMap<String, Stream> streams, SortedMap<String, Integer> fwmarkOffsets,
                           SortedMap<String, Flow> flows,
                           SortedMap<String, Vip> vips, SortedMap<String, Attractor> attractors,
                           SortedMap<String, Gateway> gateways, SortedMap<String, SortedMap<Integer, Target>> targets,
                           SortedMap<String, NetworkInterface> interfaces, SortedMap<IpAddress, Neighbour> neighbours,
                           SortedMap<String, Boolean> gatewaySessions, SortedMap<String, Instance> instances) {
        State state = new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways,
                TreeMap.empty(), TreeSet.empty(), TreeMap.empty(), interfaces, neighbours, gatewaySessions, instances);
        for (Target target : targets.values().flatMap(SortedMap::values)) {
            state = state.withTarget(target);
        }
        return state;
    }

    /**
     * {@code evolve(state, event)}: what a fact does to this state. Total: every event has a meaning on every state.
     *
     * @param event a fact, as decided and recorded
     * @return the next state; this same instance when the event changes nothing
     */
    public State evolve(Event event) {
        return event.accept(new Evolution(this));
    }

    /** @return the fwmark of {@code identifier} in {@code stream} (identifier + the stream's offset), -1 without it */
    public int fwmarkOf(String stream, int identifier) {
        return fwmarkOffsets.get(stream).map(offset -> offset + identifier).getOrElse(-1);
    }

    /** @return the ip-rule priority a new target of fwmark {@code fwmark} gets, or -1 when none is left for it */
    public int rulePriorityFor(int fwmark) {
        return fwmark < 0 ? -1 : RulePriorities.allocate(rulePriorities, fwmark);
    }

    /** @return the lowest LB-tier identifier no instance holds, -1 when the tier is full */
    public int freeTierIdentifier() {
        SortedSet<Integer> held = instances.values().map(Instance::identifier).toSortedSet();
        for (int identifier = 1; identifier <= Instance.MAX_INSTANCES; identifier++) {
            if (!held.contains(identifier)) {
                return identifier;
            }
        }
        return -1;
    }

    /** @return the targets registered in {@code stream}, by identifier */
    public SortedMap<Integer, Target> targetsOf(String stream) {
        // A command may name no stream at all (a null from outside): it has no targets.
        return stream == null ? TreeMap.empty() : targets.get(stream).getOrElse(TreeMap.empty());
    }

    /** @return the target registered in {@code stream} under {@code identifier}, if any */
    public Option<Target> target(String stream, int identifier) {
        return stream == null ? Option.none() : targets.get(stream).flatMap(byId -> byId.get(identifier));
    }

    /** @return whether {@code gateway} may carry traffic: its session is up, or it is static and not reported down */
    public boolean gatewayUsable(Gateway gateway) {
        return gatewaySessions.get(gateway.name()).getOrElse(gateway.protocol() == GatewayProtocol.STATIC);
    }

    State withTrench(Option<Trench> trench) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withConduits(SortedMap<String, Conduit> conduits) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withStreams(SortedMap<String, Stream> streams, SortedMap<String, Integer> fwmarkOffsets) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withFlows(SortedMap<String, Flow> flows) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withVips(SortedMap<String, Vip> vips) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withAttractors(SortedMap<String, Attractor> attractors) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withGateways(SortedMap<String, Gateway> gateways, SortedMap<String, Boolean> gatewaySessions) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    /** @return this state with {@code target} registered (or replaced), and the indexes kept in step */
    State withTarget(Target target) {
        Option<Target> replaced = target(target.stream(), target.identifier());
        State without = replaced.isDefined() ? withoutTarget(replaced.get()) : this;
        SortedMap<Integer, Target> byId = without.targetsOf(target.stream()).put(target.identifier(), target);
        SortedSet<Integer> priorities = RulePriorities.counted(target.rulePriority())
                ? without.rulePriorities.add(target.rulePriority()) : without.rulePriorities;
        SortedMap<TargetAddress, Integer> owners = without.addressOwners;
        for (IpAddress ip : target.ips()) {
            owners = owners.put(new TargetAddress(target.stream(), ip), target.identifier());
        }
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways,
                without.targets.put(target.stream(), byId), priorities, owners, interfaces, neighbours,
                gatewaySessions, instances);
    }

    /** @return this state without {@code target}, and the indexes kept in step */
    State withoutTarget(Target target) {
        SortedMap<Integer, Target> byId = targetsOf(target.stream()).remove(target.identifier());
        // No empty per-stream map is kept, so equal target sets always give equal states.
        SortedMap<String, SortedMap<Integer, Target>> remaining = byId.isEmpty()
                ? targets.remove(target.stream())
                : targets.put(target.stream(), byId);
        SortedMap<TargetAddress, Integer> owners = addressOwners;
        for (IpAddress ip : target.ips()) {
            owners = owners.remove(new TargetAddress(target.stream(), ip));
        }
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, remaining,
                rulePriorities.remove(target.rulePriority()), owners, interfaces, neighbours, gatewaySessions,
                instances);
    }

    State withInstances(SortedMap<String, Instance> instances) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withInterfaces(SortedMap<String, NetworkInterface> interfaces) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }

    State withNeighbours(SortedMap<IpAddress, Neighbour> neighbours) {
        return new State(trench, conduits, streams, fwmarkOffsets, flows, vips, attractors, gateways, targets,
                rulePriorities, addressOwners, interfaces, neighbours, gatewaySessions, instances);
    }
}
