package io.statelesslb.eventlog.stream;

import io.statelesslb.domain.event.Event;

/**
 * An event to append, with who asked for it and, for an instance-local observation in a shared stream, the
 * instance it belongs to.
 *
 * @param source   who asked for the change (null for none)
 * @param instance the instance whose own observation this is (null for a fact of the whole trench)
 */
public record Proposal(Event event, String source, String instance) {

    public Proposal {
        if (event == null) {
            throw new IllegalArgumentException("an event is required");
        }
    }
}
