package io.statelesslb.domain.state;

import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.AttractorDeleted;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.ConduitDeleted;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.FlowDeleted;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.GatewayDeleted;
import io.statelesslb.domain.event.GatewaySessionDown;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.InstanceJoined;
import io.statelesslb.domain.event.InstanceLeft;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.RoutingDaemonRestarted;
import io.statelesslb.domain.event.StreamDefined;
import io.statelesslb.domain.event.StreamDeleted;
import io.statelesslb.domain.event.TargetDisabled;
import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.TrenchDeleted;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.event.VipDeleted;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.Instance;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.model.Vip;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.List;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;

/**
 * {@code evolve(state, event)}: what each fact does to the state. Total and pure: every event has a meaning on every
 * state, so replaying a log never rejects anything (the decider checked each event once, before it was recorded).
 * An event about something the state does not hold (which a decided log never contains) changes nothing, and an
 * event that changes nothing gives back the very same state instance.
 */
final class Evolution implements Event.Visitor<State> {

    private final State state;

    Evolution(State state) {
        this.state = state;
    }

    /** @return {@code state} itself when {@code next} equals it, so that unchanged means identical */
    private State changed(State next) {
        return next.equals(state) ? state : next;
    }

    @Override
    public State trenchDefined(TrenchDefined event) {
        Trench trench = state.trench().filter(held -> held.name().equals(event.name()))
                .getOrElse(() -> Trench.named(event.name()));
        return changed(state.withTrench(Option.some(trench)));
    }

    @Override
    public State loadBalancerConfigured(LoadBalancerConfigured event) {
        return state.trench().isEmpty() ? state
                : changed(state.withTrench(Option.some(state.trench().get().with(event.settings()))));
    }

    @Override
    public State trenchDeleted(TrenchDeleted event) {
        return state.trench().isEmpty() ? state : state.withTrench(Option.none());
    }

    @Override
    public State conduitDefined(ConduitDefined event) {
        return changed(state.withConduits(state.conduits().put(event.name(),
                new Conduit(event.name(), event.interfacePrefix(), event.destinationPortNats()))));
    }

    @Override
    public State conduitDeleted(ConduitDeleted event) {
        return state.conduits().containsKey(event.name())
                ? state.withConduits(state.conduits().remove(event.name())) : state;
    }

    @Override
    public State streamDefined(StreamDefined event) {
        Stream stream = new Stream(event.name(), event.conduit(), event.maxTargets());
        Option<Stream> held = state.streams().get(event.name());
        SortedMap<String, Integer> offsets = state.fwmarkOffsets();
        // A stream keeps its fwmark range for as long as its size stays the same.
        if (held.isEmpty() || held.get().maxTargets() != event.maxTargets()) {
            SortedMap<String, Stream> others = state.streams().remove(event.name());
            offsets = offsets.remove(event.name());
            offsets = offsets.put(event.name(), FwmarkRanges.allocate(offsets, others, event.maxTargets()));
        }
        return changed(state.withStreams(state.streams().put(event.name(), stream), offsets));
    }

    @Override
    public State streamDeleted(StreamDeleted event) {
        if (!state.streams().containsKey(event.name())) {
            return state;
        }
        // A stream goes with its fwmark range, and with targets that a decided log never leaves behind in it.
        State without = state;
        for (Target target : state.targetsOf(event.name()).values()) {
            without = without.withoutTarget(target);
        }
        return without.withStreams(state.streams().remove(event.name()), state.fwmarkOffsets().remove(event.name()));
    }

    @Override
    public State flowDefined(FlowDefined event) {
        Flow flow = new Flow(event.name(), event.stream(), event.priority(), TreeSet.ofAll(event.protocols()),
                TreeSet.ofAll(event.sourceSubnets()).map(Cidr::network), TreeSet.ofAll(event.sourcePorts()),
                TreeSet.ofAll(event.destinationPorts()), TreeSet.ofAll(event.vips()), List.ofAll(event.byteMatches()));
        return changed(state.withFlows(state.flows().put(event.name(), flow)));
    }

    @Override
    public State flowDeleted(FlowDeleted event) {
        return state.flows().containsKey(event.name()) ? state.withFlows(state.flows().remove(event.name())) : state;
    }

    @Override
    public State vipDefined(VipDefined event) {
        return changed(state.withVips(state.vips().put(event.name(), new Vip(event.name(), event.address()))));
    }

    @Override
    public State vipDeleted(VipDeleted event) {
        return state.vips().containsKey(event.name()) ? state.withVips(state.vips().remove(event.name())) : state;
    }

    @Override
    public State attractorDefined(AttractorDefined event) {
        Attractor attractor = new Attractor(event.name(), TreeSet.ofAll(event.vips()), TreeSet.ofAll(event.gateways()));
        return changed(state.withAttractors(state.attractors().put(event.name(), attractor)));
    }

    @Override
    public State attractorDeleted(AttractorDeleted event) {
        return state.attractors().containsKey(event.name())
                ? state.withAttractors(state.attractors().remove(event.name())) : state;
    }

    @Override
    public State gatewayDefined(GatewayDefined event) {
        Gateway gateway = new Gateway(event.name(), event.address(), event.interfaceName(), event.protocol(),
                event.bfd(), event.remoteAsn(), event.localAsn(), event.options());
        return changed(state.withGateways(state.gateways().put(event.name(), gateway), state.gatewaySessions()));
    }

    @Override
    public State gatewayDeleted(GatewayDeleted event) {
        return state.gateways().containsKey(event.name())
                ? state.withGateways(state.gateways().remove(event.name()),
                        state.gatewaySessions().remove(event.name()))
                : state;
    }

    @Override
    public State targetRegistered(TargetRegistered event) {
        Option<Target> held = state.target(event.stream(), event.identifier());
        int fwmark = state.fwmarkOf(event.stream(), event.identifier());
        int priority = held.isDefined() ? held.get().rulePriority() : state.rulePriorityFor(fwmark);
        if (fwmark < 0 || priority < 0 || held.exists(target -> target.ips().equals(TreeSet.ofAll(event.ips())))) {
            return state;
        }
        return state.withTarget(new Target(event.stream(), event.identifier(), TreeSet.ofAll(event.ips()), true,
                priority));
    }

    @Override
    public State targetUnregistered(TargetUnregistered event) {
        return state.target(event.stream(), event.identifier()).map(state::withoutTarget).getOrElse(state);
    }

    @Override
    public State targetEnabled(TargetEnabled event) {
        return enabled(event.stream(), event.identifier(), true);
    }

    @Override
    public State targetDisabled(TargetDisabled event) {
        return enabled(event.stream(), event.identifier(), false);
    }

    @Override
    public State instanceJoined(InstanceJoined event) {
        int identifier = state.instances().get(event.name()).map(Instance::identifier)
                .getOrElse(state::freeTierIdentifier);
        if (identifier < 0) {
            return state; // a full tier: never decided so, but the fold is total
        }
        Instance joined = new Instance(event.name(), identifier, event.address(), event.interfaceName());
        // The same join again changes nothing, so that it is answered unchanged and not recorded a second time.
        return state.instances().get(event.name()).contains(joined) ? state
                : state.withInstances(state.instances().put(event.name(), joined));
    }

    @Override
    public State instanceLeft(InstanceLeft event) {
        return state.instances().containsKey(event.name())
                ? state.withInstances(state.instances().remove(event.name())) : state;
    }

    private State enabled(String stream, int identifier, boolean enabled) {
        Option<Target> held = state.target(stream, identifier);
        if (held.isEmpty() || held.get().enabled() == enabled) {
            return state;
        }
        return state.withTarget(held.get().withEnabled(enabled));
    }

    @Override
    public State interfaceUp(InterfaceUp event) {
        int mtu = event.mtu() != 0 ? event.mtu() : state.interfaces().get(event.name()).map(NetworkInterface::mtu)
                .getOrElse(NetworkInterface.DEFAULT_MTU);
        NetworkInterface up = new NetworkInterface(event.name(), true, TreeSet.ofAll(event.addresses()), mtu);
        return changed(state.withInterfaces(state.interfaces().put(event.name(), up)));
    }

    @Override
    public State interfaceDown(InterfaceDown event) {
        // The kernel keeps a downed interface's addresses; so does the state.
        NetworkInterface down = state.interfaces().get(event.name())
                .map(held -> new NetworkInterface(held.name(), false, held.addresses(), held.mtu()))
                .getOrElse(() -> new NetworkInterface(event.name(), false, TreeSet.empty(),
                        NetworkInterface.DEFAULT_MTU));
        return changed(state.withInterfaces(state.interfaces().put(event.name(), down)));
    }

    @Override
    public State neighbourReachable(NeighbourReachable event) {
        return neighbour(event.address(), event.interfaceName(), NeighbourState.REACHABLE, event.mac());
    }

    @Override
    public State neighbourFailed(NeighbourFailed event) {
        return neighbour(event.address(), event.interfaceName(), NeighbourState.FAILED, "");
    }

    private State neighbour(IpAddress address, String interfaceName, NeighbourState neighbourState, String mac) {
        Neighbour neighbour = new Neighbour(address, interfaceName, neighbourState, mac);
        return changed(state.withNeighbours(state.neighbours().put(address, neighbour)));
    }

    @Override
    public State gatewaySessionUp(GatewaySessionUp event) {
        return session(event.gateway(), true);
    }

    @Override
    public State gatewaySessionDown(GatewaySessionDown event) {
        return session(event.gateway(), false);
    }

    private State session(String gateway, boolean up) {
        if (!state.gateways().containsKey(gateway)) {
            return state;
        }
        return changed(state.withGateways(state.gateways(), state.gatewaySessions().put(gateway, up)));
    }

    // How the dataplane took the operations is for the audit trail: what should be stays as it is.

    @Override
    public State routingDaemonRestarted(RoutingDaemonRestarted event) {
        return state;
    }

    @Override
    public State driftObserved(DriftObserved event) {
        return state;
    }

    @Override
    public State applyFailed(ApplyFailed event) {
        return state;
    }

    @Override
    public State applyRecovered(ApplyRecovered event) {
        return state;
    }
}
