package io.statelesslb.cli;

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
import java.util.List;
import java.util.stream.Collectors;

/** One short line naming what an event is about, for tables of events (the JSON form carries every field). */
final class EventSummary implements Event.Visitor<String> {

    private static final EventSummary INSTANCE = new EventSummary();

    private EventSummary() {
    }

    /** @return the object an event names, such as {@code stream-a/3 10.0.0.3} or {@code conduit-a} */
    static String of(Event event) {
        return event.accept(INSTANCE);
    }

    private static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    @Override
    public String trenchDefined(TrenchDefined event) {
        return event.name();
    }

    @Override
    public String trenchDeleted(TrenchDeleted event) {
        return event.name();
    }

    @Override
    public String loadBalancerConfigured(LoadBalancerConfigured event) {
        return "queues " + event.firstQueue() + "-" + (event.firstQueue() + event.queues() - 1)
                + (event.queueBypass() ? " bypass" : "") + (event.queueFanout() ? " fanout" : "")
                + (event.failOpen() ? " fail-open" : "")
                + (event.promiscuousPing() ? " promiscuous-ping" : "");
    }

    @Override
    public String conduitDefined(ConduitDefined event) {
        return event.name() + " interfaces " + event.interfacePrefix() + "*" + event.destinationPortNats().stream()
                .map(nat -> ", port " + nat.describe()).collect(Collectors.joining());
    }

    @Override
    public String conduitDeleted(ConduitDeleted event) {
        return event.name();
    }

    @Override
    public String streamDefined(StreamDefined event) {
        return event.name();
    }

    @Override
    public String streamDeleted(StreamDeleted event) {
        return event.name();
    }

    @Override
    public String flowDefined(FlowDefined event) {
        return event.name();
    }

    @Override
    public String flowDeleted(FlowDeleted event) {
        return event.name();
    }

    @Override
    public String vipDefined(VipDefined event) {
        return event.name() + " " + event.address();
    }

    @Override
    public String vipDeleted(VipDeleted event) {
        return event.name();
    }

    @Override
    public String attractorDefined(AttractorDefined event) {
        return event.name();
    }

    @Override
    public String attractorDeleted(AttractorDeleted event) {
        return event.name();
    }

    @Override
    public String gatewayDefined(GatewayDefined event) {
        return event.name() + " " + event.address();
    }

    @Override
    public String gatewayDeleted(GatewayDeleted event) {
        return event.name();
    }

    @Override
    public String targetRegistered(TargetRegistered event) {
        return event.stream() + "/" + event.identifier() + " " + join(event.ips());
    }

    @Override
    public String targetUnregistered(TargetUnregistered event) {
        return event.stream() + "/" + event.identifier();
    }

    @Override
    public String targetEnabled(TargetEnabled event) {
        return event.stream() + "/" + event.identifier();
    }

    @Override
    public String targetDisabled(TargetDisabled event) {
        return event.stream() + "/" + event.identifier();
    }

    @Override
    public String instanceJoined(InstanceJoined event) {
        return event.name() + " " + event.address() + " dev " + event.interfaceName();
    }

    @Override
    public String instanceLeft(InstanceLeft event) {
        return event.name();
    }

    @Override
    public String interfaceUp(InterfaceUp event) {
        return event.name() + " " + event.addresses().stream().map(Object::toString).collect(Collectors.joining(" "));
    }

    @Override
    public String interfaceDown(InterfaceDown event) {
        return event.name();
    }

    @Override
    public String neighbourReachable(NeighbourReachable event) {
        return event.address() + " dev " + event.interfaceName();
    }

    @Override
    public String neighbourFailed(NeighbourFailed event) {
        return event.address() + " dev " + event.interfaceName();
    }

    @Override
    public String gatewaySessionUp(GatewaySessionUp event) {
        return event.gateway();
    }

    @Override
    public String gatewaySessionDown(GatewaySessionDown event) {
        return event.gateway();
    }

    @Override
    public String routingDaemonRestarted(RoutingDaemonRestarted event) {
        return "routing daemon restarted: " + event.reason();
    }

    @Override
    public String driftObserved(DriftObserved event) {
        return "repair: " + event.repair();
    }

    @Override
    public String applyFailed(ApplyFailed event) {
        return event.operation() + ": " + event.error() + " (" + event.attempts() + " attempts)";
    }

    @Override
    public String applyRecovered(ApplyRecovered event) {
        return event.operations() + " operations applied";
    }
}
