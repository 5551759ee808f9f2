package io.statelesslb.domain.state;

import io.vavr.collection.Iterator;
import io.vavr.collection.SortedSet;

/**
 * Allocates the ip-rule priority of each target's fwmark rules. Like the kernel's own choice for a rule added
 * without a priority, new targets count down from just below the egress rule (priority 100): the first target
 * gets 99, the next 98 (the seed shows 96..99 for four targets). Once 1..99 are taken, priorities count down from
 * 32765 (just above the main table's rule) to 101. A freed priority is reused first-fit.
 */
final class RulePriorities {

    /** Priority of the egress rules {@code from VIP lookup 4096}; target rules sit around it, never on it. */
    static final int EGRESS = 100;

    private static final int MAIN_TABLE_RULE = 32766;

    private RulePriorities() {
    }

    /**
     * One ascending walk over the held priorities (no probing, no allocation): the highest gap below
     * {@link #EGRESS} if there is one, else the highest gap below the main table's rule.
     *
     * @return the priority for a new target, given those already held, or -1 when every one is taken
     */
    static int allocate(SortedSet<Integer> held) {
        Iterator<Integer> ascending = held.iterator();
        int previous = 0;
        int highestGap = -1;
        int firstAbove = -1;
        while (ascending.hasNext()) {
            int priority = ascending.next();
            if (priority > EGRESS) {
                firstAbove = priority;
                break;
            }
            if (priority > previous + 1) {
                highestGap = priority - 1;
            }
            previous = priority;
        }
        if (previous < EGRESS - 1) {
            return EGRESS - 1;
        }
        if (highestGap > 0) {
            return highestGap;
        }
        previous = EGRESS;
        highestGap = -1;
        for (int priority = firstAbove; priority > 0; priority = ascending.hasNext() ? ascending.next() : -1) {
            if (priority > previous + 1) {
                highestGap = priority - 1;
            }
            previous = priority;
        }
        if (previous < MAIN_TABLE_RULE - 1) {
            return MAIN_TABLE_RULE - 1;
        }
        return highestGap;
    }
}
