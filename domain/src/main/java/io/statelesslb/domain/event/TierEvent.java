package io.statelesslb.domain.event;

/**
 * An instance joined or left the trench's LB tier: a trench-wide fact, folded by every instance, so that all of them
 * agree on which instance owns a fragmented datagram.
 */
public sealed interface TierEvent extends Event permits InstanceJoined, InstanceLeft {

    /** @return the instance the event is about */
    String name();
}
