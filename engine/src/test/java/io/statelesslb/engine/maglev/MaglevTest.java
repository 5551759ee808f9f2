package io.statelesslb.engine.maglev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MaglevTest {

    @Test
    void tablesOfOneShapeShareTheirPermutations() {
        PermutationCache cache = new PermutationCache();
        assertThat(cache.get(9973, 100)).isSameAs(cache.get(9973, 100));
        assertThat(cache.get(9973, 100)).isNotSameAs(cache.get(9973, 50));
    }

    @Test
    void readersNeverSeeAHalfFilledTable() throws InterruptedException {
        Maglev maglev = new Maglev(9973, 100, new PermutationCache());
        int[] all = new int[100];
        for (int slot = 0; slot < 100; slot++) {
            all[slot] = 5001 + slot;
        }
        maglev.setAll(all);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                Maglev.View view = maglev.view();
                MaglevTable table = view.table();
                // Every published table has every entry owned by an active slot with a fwmark.
                for (int i = 0; i < table.size(); i += 97) {
                    int slot = table.entry(i);
                    if (slot == MaglevTable.NONE || view.fwmarkOf(slot) == 0) {
                        torn.incrementAndGet();
                    }
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        for (int round = 0; round < 300; round++) {
            int slot = round % 100;
            maglev.deactivate(slot);
            maglev.activate(slot, 5001 + slot);
        }
        done.set(true);
        reader.join(10_000);
        assertThat(reads.get()).isPositive();
        assertThat(torn.get()).isZero();
    }

    @Test
    void badSlotsAndFwmarksAreRefusedNamingThem() {
        Maglev maglev = new Maglev(97, 5, new PermutationCache());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> maglev.activate(5, 5005))
                .hasMessage("slot=5 (expected: 0..4)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> maglev.activate(1, 0))
                .hasMessage("fwmark=0 (expected: a non-zero fwmark for slot 1)");
    }
}
