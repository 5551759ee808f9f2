package io.statelesslb.domain.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Defensive copies for the list components of events: absent means empty, and nulls inside are kept. */
final class Lists {

    private Lists() {
    }

    /**
     * Events arrive from JSON, where a list may be missing or hold a null; validation reports such entries, so
     * they are kept (unlike {@link List#copyOf}, which would throw) in an unmodifiable copy.
     */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
