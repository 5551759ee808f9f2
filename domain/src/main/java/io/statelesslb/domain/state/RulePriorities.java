package io.statelesslb.domain.state;

import io.vavr.collection.Iterator;
import io.vavr.collection.SortedSet;

/**
 * Allocates the ip-rule priority of each target's fwmark rules. Like the kernel's own choice for a rule added
 * without a priority, the first targets count down from just below the egress rule (priority 100): the first
 * target gets 99, the next 98 (the seed shows 96..99 for four targets), and a freed priority is reused, highest
 * first. Once 1..99 are all held, a target's priority is derived from its fwmark, which is unique:
 * {@code 100 + fwmark - 5000}, from 101 up to 32765 (just below the main table's rule).
 */
public final class RulePriorities {

    /** Priority of the egress rules {@code from VIP lookup 4096}; target rules sit around it, never on it. */
    static final int EGRESS = 100;

    /** The lowest priority taken by the main table's rule; target rules stay below it. */
    static final int MAIN_TABLE_RULE = 32766;

    /** The largest fwmark a target can have once 1..99 are held: its derived priority stays below the main table's. */
    public static final int MAX_DERIVED_FWMARK = FwmarkRanges.FIRST_OFFSET + MAIN_TABLE_RULE - EGRESS - 1;

    private RulePriorities() {
    }

    /** @return whether {@code priority} is one of the counted-down ones, kept in the state's held set */
    static boolean counted(int priority) {
        return priority < EGRESS;
    }

    /**
     * @param held   the counted-down priorities held (all below {@link #EGRESS})
     * @param fwmark the new target's fwmark
     * @return the priority for the new target, or -1 when its fwmark is too large for a derived one
     */
    static int allocate(SortedSet<Integer> held, int fwmark) {
        if (held.size() < EGRESS - 1) {
            return highestFree(held);
        }
        long derived = (long) EGRESS + fwmark - FwmarkRanges.FIRST_OFFSET;
        return derived > EGRESS && derived < MAIN_TABLE_RULE ? (int) derived : -1;
    }

    /** One ascending walk (at most 99 steps, no allocation): the highest value of 1..99 not held. */
    private static int highestFree(SortedSet<Integer> held) {
        Iterator<Integer> ascending = held.iterator();
        int previous = 0;
        int highestGap = -1;
        while (ascending.hasNext()) {
            int priority = ascending.next();
            if (priority > previous + 1) {
                highestGap = priority - 1;
            }
            previous = priority;
        }
        return previous < EGRESS - 1 ? EGRESS - 1 : highestGap;
    }
}
