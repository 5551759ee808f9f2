package io.statelesslb.controller.store;

import io.statelesslb.domain.command.Command;
import java.util.concurrent.CompletableFuture;

/** Where commands are submitted: decided, their events made durable and evolved. {@link EventStore} is the real one. */
public interface EventJournal {

    /**
     * @param source who asks for the change, kept with its event (null for none)
     * @return completes with the recorded event and the state after it, or with the rejection; fails when the
     *         journal cannot accept writes
     */
    CompletableFuture<Submission> submit(Command command, String source);

    /** {@link #submit(Command, String)} without a source. */
    default CompletableFuture<Submission> submit(Command command) {
        return submit(command, null);
    }

    /** @return the name of the instance whose state the journal folds, null when it is alone (a local log) */
    default String instance() {
        return null;
    }
}
