package io.statelesslb.domain.state;

import io.statelesslb.domain.event.ConfigurationEvent;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.event.TargetEvent;

/**
 * {@code fold(State, Event)}: checks an event against the state and, when it is valid, returns the next state.
 * Pure and deterministic; a rejected event, or one that changes nothing, leaves the very same state instance.
 */
final class Fold {

    private Fold() {
    }

    static Outcome fold(State state, Event event) {
        if (event instanceof ConfigurationEvent configuration) {
            return ConfigurationFold.fold(state, configuration);
        }
        if (event instanceof TargetEvent target) {
            return TargetFold.fold(state, target);
        }
        return ObservationFold.fold(state, (ObservationEvent) event);
    }

    /** Every change but an observation needs the trench first. */
    static void requireTrench(Problems problems, State state) {
        if (state.trench().isEmpty()) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, "trench",
                    "no trench is defined (expected: a TrenchDefined event before any other definition)");
        }
    }

    /** @return the outcome that keeps {@code state} when {@code next} equals it, so unchanged means identical */
    static Outcome changed(Problems problems, State state, State next) {
        return problems.outcome(next.equals(state) ? state : next);
    }
}
