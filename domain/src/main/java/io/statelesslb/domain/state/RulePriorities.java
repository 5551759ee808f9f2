package io.statelesslb.domain.state;

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

    /** @return the priority for a new target, given those already held, or -1 when every one is taken */
    static int allocate(SortedSet<Integer> held) {
        for (int priority = EGRESS - 1; priority >= 1; priority--) {
            if (!held.contains(priority)) {
                return priority;
            }
        }
        for (int priority = MAIN_TABLE_RULE - 1; priority > EGRESS; priority--) {
            if (!held.contains(priority)) {
                return priority;
            }
        }
        return -1;
    }
}
