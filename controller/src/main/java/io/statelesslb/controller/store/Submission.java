package io.statelesslb.controller.store;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.state.State;
import io.vavr.collection.List;

/** The answer to submitting a command: its event durably recorded with the state it led to, or rejected. */
public sealed interface Submission permits Submission.Recorded, Submission.Rejected {

    /** The event is on disk under {@code event.sequence()}; {@code state} is the state right after it. */
    record Recorded(RecordedEvent event, State state) implements Submission {
    }

    /** The command was invalid against the state; nothing was written and nothing changed. */
    record Rejected(List<Problem> problems) implements Submission {
    }
}
