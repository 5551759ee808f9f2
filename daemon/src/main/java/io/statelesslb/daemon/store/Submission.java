package io.statelesslb.daemon.store;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.Problem;
import io.statelesslb.domain.state.State;
import io.vavr.collection.List;

/** The answer to submitting an event: durably recorded with the state it led to, or rejected (and not logged). */
public sealed interface Submission permits Submission.Recorded, Submission.Rejected {

    /** The event is on disk under {@code event.sequence()}; {@code state} is the state right after it. */
    record Recorded(RecordedEvent event, State state) implements Submission {
    }

    /** The event was invalid against the state; nothing was written and nothing changed. */
    record Rejected(List<Problem> problems) implements Submission {
    }
}
