package io.statelesslb.domain.diff;

import io.vavr.Tuple2;
import io.vavr.collection.Iterator;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Walks two sorted collections side by side in one pass, reporting what only one side holds or what differs. */
final class SortedWalk {

    /** Receives the entries of two maps that differ. */
    interface MapChanges<K, V> {
        void removed(K key, V applied);

        void added(K key, V desired);

        void changed(K key, V applied, V desired);
    }

    private SortedWalk() {
    }

    static <T extends Comparable<? super T>> void sets(SortedSet<T> applied, SortedSet<T> desired,
                                                       Consumer<T> removed, Consumer<T> added) {
        if (applied == desired) {
            return;
        }
        Iterator<T> a = applied.iterator();
        Iterator<T> b = desired.iterator();
        T x = a.hasNext() ? a.next() : null;
        T y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            // Both sides usually share most elements: the same instance needs no comparison.
            int order = x == y ? 0 : x == null ? 1 : y == null ? -1 : x.compareTo(y);
            if (order < 0) {
                removed.accept(x);
            } else if (order > 0) {
                added.accept(y);
            }
            if (order <= 0) {
                x = a.hasNext() ? a.next() : null;
            }
            if (order >= 0) {
                y = b.hasNext() ? b.next() : null;
            }
        }
    }

    static <K extends Comparable<? super K>, V> void maps(SortedMap<K, V> applied, SortedMap<K, V> desired,
                                                          MapChanges<K, V> changes) {
        if (applied == desired) {
            return;
        }
        Iterator<Tuple2<K, V>> a = applied.iterator();
        Iterator<Tuple2<K, V>> b = desired.iterator();
        Tuple2<K, V> x = a.hasNext() ? a.next() : null;
        Tuple2<K, V> y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            int order = x == null ? 1 : y == null ? -1 : x._1.compareTo(y._1);
            if (order < 0) {
                changes.removed(x._1, x._2);
            } else if (order > 0) {
                changes.added(y._1, y._2);
            } else if (x._2 != y._2 && !x._2.equals(y._2)) {
                changes.changed(x._1, x._2, y._2);
            }
            if (order <= 0) {
                x = a.hasNext() ? a.next() : null;
            }
            if (order >= 0) {
                y = b.hasNext() ? b.next() : null;
            }
        }
    }

    /** @return a {@link MapChanges} from three lambdas */
    static <K, V> MapChanges<K, V> of(BiConsumer<K, V> removed, BiConsumer<K, V> added,
                                      TriConsumer<K, V> changed) {
        return new MapChanges<>() {
            @Override
            public void removed(K key, V applied) {
                removed.accept(key, applied);
            }

            @Override
            public void added(K key, V desired) {
                added.accept(key, desired);
            }

            @Override
            public void changed(K key, V applied, V desired) {
                changed.accept(key, applied, desired);
            }
        };
    }

    /** A three-argument consumer for {@link #of}. */
    interface TriConsumer<K, V> {
        void accept(K key, V applied, V desired);
    }
}
