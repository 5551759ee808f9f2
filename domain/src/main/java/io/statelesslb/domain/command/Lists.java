package io.statelesslb.domain.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Copies of the list components of commands: absent means empty, and nulls inside are kept for the decider. */
final class Lists {

    private Lists() {
    }

    /**
     * Commands arrive from JSON and YAML, where a list may be missing or hold a null; the decider reports such
     * entries, so they are kept (unlike {@link List#copyOf}, which would throw) in an unmodifiable copy.
     */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
