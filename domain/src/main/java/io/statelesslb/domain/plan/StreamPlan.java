package io.statelesslb.domain.plan;

import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;

/**
 * The load balancer's part of one stream: its Maglev shape and the active slots (slot = identifier - 1) with
 * their fwmarks. The targets' paths are policy routing, in {@link DataplaneSpec#rules()} and
 * {@link DataplaneSpec#routes()}.
 */
public record StreamPlan(String stream, MaglevSpec maglev, SortedMap<Integer, Integer> slots) {

    /** @return a stream plan with no active slot */
    public static StreamPlan empty(String stream, MaglevSpec maglev) {
        return new StreamPlan(stream, maglev, TreeMap.empty());
    }

    /** @return this plan with other active slots */
    public StreamPlan withSlots(SortedMap<Integer, Integer> slots) {
        return new StreamPlan(stream, maglev, slots);
    }
}
