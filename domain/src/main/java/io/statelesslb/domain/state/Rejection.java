package io.statelesslb.domain.state;

import io.statelesslb.domain.event.Event;
import io.vavr.collection.List;

/** A logged event that the fold rejected, kept so that replay can show why it had no effect. */
public record Rejection(long sequence, Event event, List<Problem> problems) {
}
