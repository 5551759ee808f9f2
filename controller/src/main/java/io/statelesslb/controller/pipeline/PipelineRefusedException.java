package io.statelesslb.controller.pipeline;

/** The pipeline did not take an event: its queue is full (try again) or it is closing. */
public final class PipelineRefusedException extends RuntimeException {

    public PipelineRefusedException(String message) {
        super(message);
    }
}
