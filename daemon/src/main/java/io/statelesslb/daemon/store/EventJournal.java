package io.statelesslb.daemon.store;

import io.statelesslb.domain.event.Event;
import java.util.concurrent.CompletableFuture;

/** Where events are submitted: validated, made durable, folded. {@link EventStore} is the real one. */
public interface EventJournal {

    /**
     * @return completes with the recorded event and the state after it, or with the rejection; fails when the
     *         journal cannot accept writes
     */
    CompletableFuture<Submission> submit(Event event);
}
