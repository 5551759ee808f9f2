package io.statelesslb.domain.decide;

import io.statelesslb.domain.event.Event;
import io.vavr.collection.List;
import java.util.function.Function;

/** What deciding a command gave: the event it becomes, or a rejection listing every problem found. */
public sealed interface Decision permits Decision.Accepted, Decision.Rejected {

    /**
     * Handles both outcomes, so that a caller cannot forget one.
     *
     * @return {@code rejected} applied to the problems, or {@code accepted} applied to the event
     */
    <R> R fold(Function<? super List<Problem>, ? extends R> rejected, Function<? super Event, ? extends R> accepted);

    /** The command was valid against the state: {@code event} is the fact to record. */
    record Accepted(Event event) implements Decision {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Event, ? extends R> accepted) {
            return accepted.apply(event);
        }
    }

    /** The command was invalid and is not recorded; {@code problems} is never empty. */
    record Rejected(List<Problem> problems) implements Decision {

        @Override
        public <R> R fold(Function<? super List<Problem>, ? extends R> rejected,
                          Function<? super Event, ? extends R> accepted) {
            return rejected.apply(problems);
        }
    }
}
