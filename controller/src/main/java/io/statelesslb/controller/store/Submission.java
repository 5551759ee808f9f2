package io.statelesslb.controller.store;

import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.State;
import io.vavr.collection.List;
import java.util.function.Function;

/** The answer to submitting a command: its event durably recorded with the state it led to, or rejected. */
public sealed interface Submission permits Submission.Recorded, Submission.Rejected {

    /**
     * Handles both answers, so that a caller cannot forget one.
     *
     * @return {@code rejected} applied to the problems, or {@code recorded} applied to the recorded answer
     */
    <R> R fold(Function<? super List<Problem>, ? extends R> rejected, Function<? super Recorded, ? extends R> recorded);

    /** The event is on disk under {@code event.sequence()}; {@code state} is the state right after it. */
    record Recorded(RecordedEvent event, State state) implements Submission {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Recorded, ? extends R> recorded) {
            return recorded.apply(this);
        }
    }

    /** The command was invalid against the state; nothing was written and nothing changed. */
    record Rejected(List<Problem> problems) implements Submission {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Recorded, ? extends R> recorded) {
            return rejected.apply(problems);
        }
    }
}
