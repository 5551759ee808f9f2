package io.statelesslb.server.http;

import io.statelesslb.domain.event.RecordedEvent;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The Server-Sent Events frames of the events most recently sent, by sequence: every watcher at the same place in
 * the log shares one encoding of an event instead of encoding it again. One per daemon (sequences name events
 * only within one log); bounded, and a miss only costs the encoding.
 */
final class FrameCache {

    /** A power of two: the slot of a sequence is its low bits. */
    private static final int SLOTS = 4096;

    private record Entry(long sequence, String frame) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);
    private final Function<RecordedEvent, String> encode;

    FrameCache(Function<RecordedEvent, String> encode) {
        this.encode = encode;
    }

    String frame(RecordedEvent recorded) {
        int slot = (int) (recorded.sequence() & (SLOTS - 1));
        Entry cached = slots.get(slot);
        if (cached != null && cached.sequence() == recorded.sequence()) {
            return cached.frame();
        }
        String frame = encode.apply(recorded);
        slots.set(slot, new Entry(recorded.sequence(), frame));
        return frame;
    }
}
