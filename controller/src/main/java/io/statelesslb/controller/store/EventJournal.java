package io.statelesslb.controller.store;

import io.statelesslb.domain.command.Command;
import java.util.concurrent.CompletableFuture;

/** Where commands are submitted: decided, their events made durable and evolved. {@link EventStore} is the real one. */
public interface EventJournal {

    /**
     * @return completes with the recorded event and the state after it, or with the rejection; fails when the
     *         journal cannot accept writes
     */
    CompletableFuture<Submission> submit(Command command);
}
