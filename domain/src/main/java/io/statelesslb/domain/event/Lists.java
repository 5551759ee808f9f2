package io.statelesslb.domain.event;

import java.util.List;

/** Copies of the list components of events: an absent list means empty; an event holds no nulls. */
final class Lists {

    private Lists() {
    }

    /** @return an unmodifiable copy of {@code list}, empty when it is null; a null inside is refused */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
