package io.statelesslb.api.codec;

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
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
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
 * The wire identity of each event type: a code stored in every log record and a name used in JSON. Codes are
 * part of the on-disk format: a code is never reused or renumbered; a new event type takes the next free one.
 */
public enum EventType {
    TRENCH_DEFINED(1, TrenchDefined.class),
    TRENCH_DELETED(2, TrenchDeleted.class),
    CONDUIT_DEFINED(3, ConduitDefined.class),
    CONDUIT_DELETED(4, ConduitDeleted.class),
    STREAM_DEFINED(5, StreamDefined.class),
    STREAM_DELETED(6, StreamDeleted.class),
    FLOW_DEFINED(7, FlowDefined.class),
    FLOW_DELETED(8, FlowDeleted.class),
    VIP_DEFINED(9, VipDefined.class),
    VIP_DELETED(10, VipDeleted.class),
    ATTRACTOR_DEFINED(11, AttractorDefined.class),
    ATTRACTOR_DELETED(12, AttractorDeleted.class),
    GATEWAY_DEFINED(13, GatewayDefined.class),
    GATEWAY_DELETED(14, GatewayDeleted.class),
    TARGET_REGISTERED(20, TargetRegistered.class),
    TARGET_UNREGISTERED(21, TargetUnregistered.class),
    TARGET_ENABLED(22, TargetEnabled.class),
    TARGET_DISABLED(23, TargetDisabled.class),
    INTERFACE_UP(40, InterfaceUp.class),
    INTERFACE_DOWN(41, InterfaceDown.class),
    NEIGHBOUR_REACHABLE(42, NeighbourReachable.class),
    NEIGHBOUR_FAILED(43, NeighbourFailed.class),
    GATEWAY_SESSION_UP(44, GatewaySessionUp.class),
    GATEWAY_SESSION_DOWN(45, GatewaySessionDown.class),
    DRIFT_OBSERVED(46, DriftObserved.class),
    APPLY_FAILED(47, ApplyFailed.class),
    APPLY_RECOVERED(48, ApplyRecovered.class);

    private static final Map<Integer, EventType> BY_CODE = new HashMap<>();
    private static final Map<String, EventType> BY_NAME = new HashMap<>();
    private static final Map<Class<?>, EventType> BY_CLASS = new HashMap<>();

    static {
        for (EventType type : values()) {
            BY_CODE.put(type.code, type);
            BY_NAME.put(type.javaType.getSimpleName(), type);
            BY_CLASS.put(type.javaType, type);
        }
    }

    private final int code;
    private final Class<? extends Event> javaType;

    EventType(int code, Class<? extends Event> javaType) {
        this.code = code;
        this.javaType = javaType;
    }

    /** @return the type of {@code event} */
    public static EventType of(Event event) {
        return BY_CLASS.get(event.getClass());
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

    /** @return the name used in JSON: the event's class name, such as {@code TargetRegistered} */
    public String typeName() {
        return javaType.getSimpleName();
    }

    /** @return the event class */
    public Class<? extends Event> javaType() {
        return javaType;
    }
}
