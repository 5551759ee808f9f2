package io.statelesslb.eventlog;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.net.IpAddress;
import java.util.List;

/** Distinct, recognisable events for log tests: the n-th names n in its stream and identifier. */
final class SampleEvents {

    private SampleEvents() {
    }

    static Event number(long n) {
        return new TargetRegistered("stream-" + n, (int) (n % 100) + 1,
                List.of(IpAddress.ipv4(0x0A000001 | (int) (n % 250) << 8)));
    }

    static long numberOf(Event event) {
        return Long.parseLong(((TargetRegistered) event).stream().substring("stream-".length()));
    }
}
