package io.statelesslb.daemon.pipeline;

import java.time.Duration;

/**
 * How the pipeline behaves.
 *
 * @param coalescing    states recorded within this window are reconciled once, with the latest
 * @param queueCapacity events waiting for the journal; beyond it submissions are refused (backpressure)
 * @param retries       how many times a failed apply is retried before it is reported as failed
 * @param firstBackoff  the first retry's delay; later ones double (with jitter)
 */
public record PipelineOptions(Duration coalescing, int queueCapacity, int retries, Duration firstBackoff) {

    /** 10 ms coalescing, 4096 queued events, 5 retries from 100 ms. */
    public static final PipelineOptions DEFAULTS = new PipelineOptions(Duration.ofMillis(10), 4096, 5,
            Duration.ofMillis(100));

    public PipelineOptions {
        if (coalescing.isNegative() || coalescing.isZero() || queueCapacity < 1 || retries < 0
                || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("coalescing=" + coalescing + ", queueCapacity=" + queueCapacity
                    + ", retries=" + retries + ", firstBackoff=" + firstBackoff
                    + " (expected: positive window, capacity >= 1, retries >= 0, backoff >= 0)");
        }
    }
}
