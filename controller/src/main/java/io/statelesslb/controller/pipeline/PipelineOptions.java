package io.statelesslb.controller.pipeline;

import java.time.Duration;

/**
 * How the pipeline behaves.
 *
 * @param coalescing    states recorded within this window are reconciled once, with the latest
 * @param queueCapacity events waiting for the journal; beyond it submissions are refused (backpressure)
 * @param retries       after this many retries a failed apply is reported and recorded (retrying goes on)
 * @param firstBackoff  the first retry's delay; later ones double (with jitter)
 * @param maxBackoff    the longest delay between retries
 * @param recheckEvery  how often the dataplane is read back and reconciled even when nothing said it changed (the
 *                      backstop to notifications; zero: never); drift is recorded as {@code DriftObserved} and
 *                      repaired
 */
public record PipelineOptions(Duration coalescing, int queueCapacity, int retries, Duration firstBackoff,
                              Duration maxBackoff, Duration recheckEvery) {

    /**
     * 10 ms coalescing, 4096 queued events, failures recorded after 5 retries from 100 ms (at most 30 s apart),
     * a recheck every 10 s.
     */
    public static final PipelineOptions DEFAULTS = new PipelineOptions(Duration.ofMillis(10), 4096, 5,
            Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public PipelineOptions {
        if (coalescing.isNegative() || coalescing.isZero() || queueCapacity < 1 || retries < 0
                || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0 || recheckEvery.isNegative()) {
            throw new IllegalArgumentException("coalescing=" + coalescing + ", queueCapacity=" + queueCapacity
                    + ", retries=" + retries + ", firstBackoff=" + firstBackoff + ", maxBackoff=" + maxBackoff
                    + ", recheckEvery=" + recheckEvery + " (expected: positive window, capacity >= 1, retries >= 0,"
                    + " 0 <= firstBackoff <= maxBackoff, recheckEvery >= 0)");
        }
    }

    /** @return these options with another backstop interval */
    public PipelineOptions withRecheckEvery(Duration recheckEvery) {
        return new PipelineOptions(coalescing, queueCapacity, retries, firstBackoff, maxBackoff, recheckEvery);
    }
}
