package io.statelesslb.domain.state;

import io.statelesslb.domain.model.Stream;
import io.vavr.collection.SortedMap;

/**
 * Allocates each stream a range of fwmarks: a target's fwmark is its identifier plus the stream's offset, so a
 * stream with offset O and N targets owns fwmarks O+1..O+N. Offsets are found first-fit from {@link #FIRST_OFFSET}
 * in the order streams are defined, and the ranges never overlap.
 */
final class FwmarkRanges {

    /** The first stream's offset: identifier 44 gets fwmark 5044, as in the seed. */
    static final int FIRST_OFFSET = 5000;

    private FwmarkRanges() {
    }

    /**
     * @param offsets    the offsets already held, by stream
     * @param streams    the streams holding them, for their sizes
     * @param maxTargets the size of the range wanted
     * @return the lowest offset at or above {@link #FIRST_OFFSET} whose range overlaps none held
     */
    static int allocate(SortedMap<String, Integer> offsets, SortedMap<String, Stream> streams, int maxTargets) {
        long candidate = FIRST_OFFSET;
        boolean moved = true;
        // Ranges are few (one per stream); rescan until the candidate no longer overlaps any of them.
        while (moved) {
            moved = false;
            for (var held : offsets) {
                long first = held._2 + 1L;
                long last = held._2 + (long) streams.get(held._1).get().maxTargets();
                if (candidate + 1 <= last && candidate + maxTargets >= first) {
                    candidate = last;
                    moved = true;
                }
            }
        }
        return Math.toIntExact(candidate);
    }
}
