package io.statelesslb.domain.command;

/** A target of a stream is to be registered, unregistered, enabled or disabled. */
public sealed interface TargetCommand extends Command
        permits RegisterTarget, UnregisterTarget, EnableTarget, DisableTarget {

    /** @return the stream the target belongs to */
    String stream();

    /** @return the target's identifier within its stream */
    int identifier();
}
