package io.statelesslb.domain.plan;

import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;

/**
 * The dataplane of one stream: its Maglev shape, the active slots (slot = identifier - 1) with their fwmarks, and
 * the paths (rule + route per family) of the active targets.
 */
public record StreamPlan(String stream, MaglevSpec maglev, SortedMap<Integer, Integer> slots,
                         SortedSet<TargetPath> paths) {

    /** @return a stream plan with no active slot and no path */
    public static StreamPlan empty(String stream, MaglevSpec maglev) {
        return new StreamPlan(stream, maglev, TreeMap.empty(), TreeSet.empty());
    }

    /** @return this plan with other active slots */
    public StreamPlan withSlots(SortedMap<Integer, Integer> slots) {
        return new StreamPlan(stream, maglev, slots, paths);
    }

    /** @return this plan with other paths */
    public StreamPlan withPaths(SortedSet<TargetPath> paths) {
        return new StreamPlan(stream, maglev, slots, paths);
    }
}
