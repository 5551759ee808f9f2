package io.statelesslb.domain.event;

/** A target of a stream was registered, unregistered, enabled or disabled. */
public sealed interface TargetEvent extends Event
        permits TargetRegistered, TargetUnregistered, TargetEnabled, TargetDisabled {

    /** @return the stream the target belongs to */
    String stream();

    /** @return the target's identifier within its stream (1..maxTargets) */
    int identifier();
}
