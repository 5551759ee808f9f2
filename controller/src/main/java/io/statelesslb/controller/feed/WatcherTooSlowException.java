package io.statelesslb.controller.feed;

/** A watcher fell further behind the recorded events than it may buffer; it resumes from the last one it saw. */
public final class WatcherTooSlowException extends RuntimeException {

    public WatcherTooSlowException(long resumeAfter) {
        super(resumeAfter >= 0
                ? "events after sequence " + resumeAfter + " are no longer retained for resuming here; watch again"
                        + " from the last sequence received"
                : "the watcher fell too far behind the events being recorded; watch again from the last sequence"
                        + " received");
    }
}
