package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.event.TrenchDefined;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FrameCacheTest {

    private final AtomicInteger encodings = new AtomicInteger();
    private final FrameCache cache = new FrameCache(recorded -> {
        encodings.incrementAndGet();
        return "id: " + recorded.sequence() + " " + ((TrenchDefined) recorded.event()).name();
    });

    private static RecordedEvent event(long sequence, String name) {
        return new RecordedEvent(sequence, Instant.EPOCH, new TrenchDefined(name));
    }

    @Test
    void watchersAtTheSamePlaceShareOneEncodingOfAnEvent() {
        for (int watcher = 0; watcher < 40; watcher++) {
            for (long sequence = 1; sequence <= 100; sequence++) {
                assertThat(cache.frame(event(sequence, "t" + sequence))).isEqualTo("id: " + sequence + " t" + sequence);
            }
        }
        assertThat(encodings).hasValue(100);
    }

    @Test
    void anEventThatTookAnOlderOnesSlotIsEncodedAfreshAndTheOlderOneAgainWhenAsked() {
        assertThat(cache.frame(event(7, "a"))).isEqualTo("id: 7 a");
        assertThat(cache.frame(event(7 + 4096, "b"))).isEqualTo("id: 4103 b");
        assertThat(cache.frame(event(7, "a"))).isEqualTo("id: 7 a");
        assertThat(encodings).hasValue(3);
    }
}
