package io.statelesslb.domain.decide;

import io.statelesslb.domain.event.Event;
import io.vavr.collection.List;

/** What deciding a command gave: the event it becomes, or a rejection listing every problem found. */
public sealed interface Decision permits Decision.Accepted, Decision.Rejected {

    /** The command was valid against the state: {@code event} is the fact to record. */
    record Accepted(Event event) implements Decision {
    }

    /** The command was invalid and is not recorded; {@code problems} is never empty. */
    record Rejected(List<Problem> problems) implements Decision {
    }
}
