package io.statelesslb.controller.store;

import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.state.State;
import io.vavr.collection.List;
import java.util.function.Function;

/** What submitting a command gave: its event recorded, nothing to record, or a rejection with every problem. */
public sealed interface Submission permits Submission.Recorded, Submission.Unchanged, Submission.Rejected {

    /**
     * Handles every answer, so that a caller cannot forget one.
     *
     * @return {@code rejected} applied to the problems, {@code unchanged} or {@code recorded} to the answer
     */
    <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
               Function<? super Unchanged, ? extends R> unchanged, Function<? super Recorded, ? extends R> recorded);

    /** The event is on disk under {@code event.sequence()}; {@code state} is the state right after it. */
    record Recorded(RecordedEvent event, State state) implements Submission {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Unchanged, ? extends R> unchanged,
                          Function<? super Recorded, ? extends R> recorded) {
            return recorded.apply(this);
        }
    }

    /**
     * An operator's command that asks for what the state already holds (the same definition again, a target
     * enabled twice): nothing was written. {@code event} is what it would have recorded; {@code sequence} is the
     * last event of {@code state}, which is durable.
     */
    record Unchanged(long sequence, Event event, State state) implements Submission {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Unchanged, ? extends R> unchanged,
                          Function<? super Recorded, ? extends R> recorded) {
            return unchanged.apply(this);
        }
    }

    /** The command was invalid against the state; nothing was written and nothing changed. */
    record Rejected(List<Problem> problems) implements Submission {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Unchanged, ? extends R> unchanged,
                          Function<? super Recorded, ? extends R> recorded) {
            return rejected.apply(problems);
        }
    }
}
