package io.statelesslb.dataplane.live;

import io.vavr.control.Option;

/**
 * What an operator follows live: the packets of one flow, or of every flow, at most {@code perSecond} of them per
 * second from each packet thread.
 *
 * @param flow      the flow whose packets are traced; none for every packet (those of no flow included)
 * @param perSecond the rate bound, from 1 to {@link #MAX_PER_SECOND}
 */
public record LiveTraceRequest(Option<String> flow, int perSecond) {

    /** The rate bound when the request names none. */
    public static final int DEFAULT_PER_SECOND = 10;
    /** The highest rate bound a request may ask for. */
    public static final int MAX_PER_SECOND = 1000;

    public LiveTraceRequest {
        if (perSecond < 1 || perSecond > MAX_PER_SECOND) {
            throw new IllegalArgumentException("rate " + perSecond + " (expected: 1 to " + MAX_PER_SECOND
                    + " packets per second)");
        }
    }
}
