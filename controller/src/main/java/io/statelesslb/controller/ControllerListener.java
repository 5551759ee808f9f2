package io.statelesslb.controller;

import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.event.RecordedEvent;
import java.time.Duration;

/** Told what the controller does, as it does it: how metrics count it. Every method does nothing by default. */
public interface ControllerListener {

    /** Nobody listens. */
    ControllerListener NONE = new ControllerListener() {
    };

    /** An event was recorded. */
    default void recorded(RecordedEvent event) {
    }

    /** An operator's command asked for what the state already holds: nothing was recorded. */
    default void unchanged(Command command) {
    }

    /** A command was decided against and rejected. */
    default void rejected(Command command) {
    }

    /** A command was refused before it was decided: the controller was too busy or closing. */
    default void refused(Command command) {
    }

    /** A reconciliation ended, {@code sinceRecorded} after its state was recorded. */
    default void reconciled(Pipeline.Report report, Duration sinceRecorded) {
    }
}
