package io.statelesslb.daemon.log;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetRegistered;
import java.util.List;

/** Distinct, recognisable events for log tests: the n-th names n in its stream and identifier. */
final class SampleEvents {

    private SampleEvents() {
    }

    static Event number(long n) {
        return new TargetRegistered("stream-" + n, (int) (n % 100) + 1, List.of("10.0." + (n % 250) + ".1"));
    }

    static long numberOf(Event event) {
        return Long.parseLong(((TargetRegistered) event).stream().substring("stream-".length()));
    }
}
