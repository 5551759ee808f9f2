package io.statelesslb.api.codec;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineAttractor;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteAttractor;
import io.statelesslb.domain.command.DeleteConduit;
import io.statelesslb.domain.command.DeleteFlow;
import io.statelesslb.domain.command.DeleteGateway;
import io.statelesslb.domain.command.DeleteStream;
import io.statelesslb.domain.command.DeleteTrench;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.command.LeaveTier;
import io.statelesslb.domain.command.RecordApplyFailure;
import io.statelesslb.domain.command.RecordApplyRecovery;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportGatewaySessionUp;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.ReportNeighbourReachable;
import io.statelesslb.domain.command.ReportRoutingDaemonRestart;
import io.statelesslb.domain.command.UnregisterTarget;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The wire identity of each event type: a code stored in every log record and a name used in JSON, both written out
 * here and never derived from class names, and the command that asks for the event. Codes and names are part of
 * the on-disk format: a code is never reused or renumbered; a new event type takes the next free one.
 */
public enum EventType {
    TRENCH_DEFINED(1, "TrenchDefined", TrenchDefined.class, DefineTrench.class,
            Source.OPERATOR),
    TRENCH_DELETED(2, "TrenchDeleted", TrenchDeleted.class, DeleteTrench.class,
            Source.OPERATOR),
    LOAD_BALANCER_CONFIGURED(15, "LoadBalancerConfigured", LoadBalancerConfigured.class,
            ConfigureLoadBalancer.class, Source.OPERATOR),
    CONDUIT_DEFINED(3, "ConduitDefined", ConduitDefined.class, DefineConduit.class,
            Source.OPERATOR),
    CONDUIT_DELETED(4, "ConduitDeleted", ConduitDeleted.class, DeleteConduit.class,
            Source.OPERATOR),
    STREAM_DEFINED(5, "StreamDefined", StreamDefined.class, DefineStream.class,
            Source.OPERATOR),
    STREAM_DELETED(6, "StreamDeleted", StreamDeleted.class, DeleteStream.class,
            Source.OPERATOR),
    FLOW_DEFINED(7, "FlowDefined", FlowDefined.class, DefineFlow.class,
            Source.OPERATOR),
    FLOW_DELETED(8, "FlowDeleted", FlowDeleted.class, DeleteFlow.class,
            Source.OPERATOR),
    VIP_DEFINED(9, "VipDefined", VipDefined.class, DefineVip.class,
            Source.OPERATOR),
    VIP_DELETED(10, "VipDeleted", VipDeleted.class, DeleteVip.class,
            Source.OPERATOR),
    ATTRACTOR_DEFINED(11, "AttractorDefined", AttractorDefined.class, DefineAttractor.class,
            Source.OPERATOR),
    ATTRACTOR_DELETED(12, "AttractorDeleted", AttractorDeleted.class, DeleteAttractor.class,
            Source.OPERATOR),
    GATEWAY_DEFINED(13, "GatewayDefined", GatewayDefined.class, DefineGateway.class,
            Source.OPERATOR),
    GATEWAY_DELETED(14, "GatewayDeleted", GatewayDeleted.class, DeleteGateway.class,
            Source.OPERATOR),
    TARGET_REGISTERED(20, "TargetRegistered", TargetRegistered.class, RegisterTarget.class,
            Source.OPERATOR),
    TARGET_UNREGISTERED(21, "TargetUnregistered", TargetUnregistered.class, UnregisterTarget.class,
            Source.OPERATOR),
    TARGET_ENABLED(22, "TargetEnabled", TargetEnabled.class, EnableTarget.class,
            Source.OPERATOR),
    TARGET_DISABLED(23, "TargetDisabled", TargetDisabled.class, DisableTarget.class,
            Source.OPERATOR),
    INSTANCE_JOINED(30, "InstanceJoined", InstanceJoined.class, JoinTier.class,
            Source.OPERATOR),
    INSTANCE_LEFT(31, "InstanceLeft", InstanceLeft.class, LeaveTier.class,
            Source.OPERATOR),
    INTERFACE_UP(40, "InterfaceUp", InterfaceUp.class, ReportInterfaceUp.class,
            Source.MACHINE),
    INTERFACE_DOWN(41, "InterfaceDown", InterfaceDown.class, ReportInterfaceDown.class,
            Source.MACHINE),
    NEIGHBOUR_REACHABLE(42, "NeighbourReachable", NeighbourReachable.class, ReportNeighbourReachable.class,
            Source.MACHINE),
    NEIGHBOUR_FAILED(43, "NeighbourFailed", NeighbourFailed.class, ReportNeighbourFailed.class,
            Source.MACHINE),
    GATEWAY_SESSION_UP(44, "GatewaySessionUp", GatewaySessionUp.class, ReportGatewaySessionUp.class,
            Source.ROUTING_DAEMON),
    GATEWAY_SESSION_DOWN(45, "GatewaySessionDown", GatewaySessionDown.class, ReportGatewaySessionDown.class,
            Source.ROUTING_DAEMON),
    DRIFT_OBSERVED(46, "DriftObserved", DriftObserved.class, RecordDrift.class,
            Source.CONTROLLER),
    APPLY_FAILED(47, "ApplyFailed", ApplyFailed.class, RecordApplyFailure.class,
            Source.CONTROLLER),
    APPLY_RECOVERED(48, "ApplyRecovered", ApplyRecovered.class, RecordApplyRecovery.class,
            Source.CONTROLLER),
    ROUTING_DAEMON_RESTARTED(49, "RoutingDaemonRestarted", RoutingDaemonRestarted.class,
            ReportRoutingDaemonRestart.class, Source.ROUTING_DAEMON);

    /** Who may claim a fact of this type from outside the controller. */
    public enum Source {
        /** Operators and their tools: configuration and targets. */
        OPERATOR,
        /** The machine: interfaces and neighbours, which the kernel backend observes itself. */
        MACHINE,
        /** The routing daemon: gateway sessions. */
        ROUTING_DAEMON,
        /** The controller alone: how the dataplane took its operations. */
        CONTROLLER
    }

    private static final Map<Integer, EventType> BY_CODE = new HashMap<>();
    private static final Map<String, EventType> BY_NAME = new HashMap<>();
    private static final Map<Class<?>, EventType> BY_COMMAND = new HashMap<>();

    static {
        for (EventType type : values()) {
            BY_CODE.put(type.code, type);
            BY_NAME.put(type.typeName, type);
            BY_COMMAND.put(type.commandType, type);
        }
    }

    private final int code;
    private final String typeName;
    private final Class<? extends Event> javaType;
    private final Class<? extends Command> commandType;
    private final Source source;

    EventType(int code, String typeName, Class<? extends Event> javaType, Class<? extends Command> commandType,
              Source source) {
        this.code = code;
        this.typeName = typeName;
        this.javaType = javaType;
        this.commandType = commandType;
        this.source = source;
    }

    /** @return the type of {@code event} */
    public static EventType of(Event event) {
        return event.accept(OF);
    }

    /** @return the type of the event {@code command} asks for */
    public static EventType ofCommand(Command command) {
        return BY_COMMAND.get(command.getClass());
    }

    /** @return the type stored under {@code code}, if any */
    public static Optional<EventType> ofCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** @return the type named {@code name} (such as {@code TargetRegistered}), if any */
    public static Optional<EventType> ofName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** @return the code stored in log records */
    public int code() {
        return code;
    }

    /** @return the name used in JSON, such as {@code TargetRegistered} */
    public String typeName() {
        return typeName;
    }

    /** @return the event class */
    public Class<? extends Event> javaType() {
        return javaType;
    }

    /** @return who may claim a fact of this type */
    public Source source() {
        return source;
    }

    /** @return the class of the command that asks for this event, with the same fields as text */
    public Class<? extends Command> commandType() {
        return commandType;
    }

    /** Each event's type: a visitor, so that an event type without a code fails to compile. */
    private static final Event.Visitor<EventType> OF = new Event.Visitor<>() {
        @Override
        public EventType trenchDefined(TrenchDefined event) {
            return TRENCH_DEFINED;
        }

        @Override
        public EventType trenchDeleted(TrenchDeleted event) {
            return TRENCH_DELETED;
        }

        @Override
        public EventType loadBalancerConfigured(LoadBalancerConfigured event) {
            return LOAD_BALANCER_CONFIGURED;
        }

        @Override
        public EventType conduitDefined(ConduitDefined event) {
            return CONDUIT_DEFINED;
        }

        @Override
        public EventType conduitDeleted(ConduitDeleted event) {
            return CONDUIT_DELETED;
        }

        @Override
        public EventType streamDefined(StreamDefined event) {
            return STREAM_DEFINED;
        }

        @Override
        public EventType streamDeleted(StreamDeleted event) {
            return STREAM_DELETED;
        }

        @Override
        public EventType flowDefined(FlowDefined event) {
            return FLOW_DEFINED;
        }

        @Override
        public EventType flowDeleted(FlowDeleted event) {
            return FLOW_DELETED;
        }

        @Override
        public EventType vipDefined(VipDefined event) {
            return VIP_DEFINED;
        }

        @Override
        public EventType vipDeleted(VipDeleted event) {
            return VIP_DELETED;
        }

        @Override
        public EventType attractorDefined(AttractorDefined event) {
            return ATTRACTOR_DEFINED;
        }

        @Override
        public EventType attractorDeleted(AttractorDeleted event) {
            return ATTRACTOR_DELETED;
        }

        @Override
        public EventType gatewayDefined(GatewayDefined event) {
            return GATEWAY_DEFINED;
        }

        @Override
        public EventType gatewayDeleted(GatewayDeleted event) {
            return GATEWAY_DELETED;
        }

        @Override
        public EventType targetRegistered(TargetRegistered event) {
            return TARGET_REGISTERED;
        }

        @Override
        public EventType targetUnregistered(TargetUnregistered event) {
            return TARGET_UNREGISTERED;
        }

        @Override
        public EventType targetEnabled(TargetEnabled event) {
            return TARGET_ENABLED;
        }

        @Override
        public EventType targetDisabled(TargetDisabled event) {
            return TARGET_DISABLED;
        }

        @Override
        public EventType instanceJoined(InstanceJoined event) {
            return INSTANCE_JOINED;
        }

        @Override
        public EventType instanceLeft(InstanceLeft event) {
            return INSTANCE_LEFT;
        }

        @Override
        public EventType interfaceUp(InterfaceUp event) {
            return INTERFACE_UP;
        }

        @Override
        public EventType interfaceDown(InterfaceDown event) {
            return INTERFACE_DOWN;
        }

        @Override
        public EventType neighbourReachable(NeighbourReachable event) {
            return NEIGHBOUR_REACHABLE;
        }

        @Override
        public EventType neighbourFailed(NeighbourFailed event) {
            return NEIGHBOUR_FAILED;
        }

        @Override
        public EventType gatewaySessionUp(GatewaySessionUp event) {
            return GATEWAY_SESSION_UP;
        }

        @Override
        public EventType gatewaySessionDown(GatewaySessionDown event) {
            return GATEWAY_SESSION_DOWN;
        }

        @Override
        public EventType routingDaemonRestarted(RoutingDaemonRestarted event) {
            return ROUTING_DAEMON_RESTARTED;
        }

        @Override
        public EventType driftObserved(DriftObserved event) {
            return DRIFT_OBSERVED;
        }

        @Override
        public EventType applyFailed(ApplyFailed event) {
            return APPLY_FAILED;
        }

        @Override
        public EventType applyRecovered(ApplyRecovered event) {
            return APPLY_RECOVERED;
        }
    };
}
