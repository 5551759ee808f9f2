package io.statelesslb.domain.state;

import io.vavr.collection.List;

/** The result of folding one event: the next state, or a rejection listing every problem found. */
public sealed interface Outcome permits Outcome.Accepted, Outcome.Rejected {

    /** The event was valid; {@code state} is the same instance as before when it changed nothing. */
    record Accepted(State state) implements Outcome {
    }

    /** The event was invalid and changed nothing; {@code problems} is never empty. */
    record Rejected(List<Problem> problems) implements Outcome {
    }
}
