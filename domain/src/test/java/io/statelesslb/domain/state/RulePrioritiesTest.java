package io.statelesslb.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RulePrioritiesTest {

    /** The specification: the first free value counting down from 99, then from 32765 down to 101. */
    private static int firstFreeCountingDown(SortedSet<Integer> held) {
        for (int p = 99; p >= 1; p--) {
            if (!held.contains(p)) {
                return p;
            }
        }
        for (int p = 32765; p > 100; p--) {
            if (!held.contains(p)) {
                return p;
            }
        }
        return -1;
    }

    @Test
    void countsDownFrom99LikeTheKernelThenFromAboveTheEgressRule() {
        assertThat(RulePriorities.allocate(TreeSet.empty())).isEqualTo(99);
        assertThat(RulePriorities.allocate(TreeSet.of(99, 98))).isEqualTo(97);
        assertThat(RulePriorities.allocate(TreeSet.of(99, 97))).isEqualTo(98);
        assertThat(RulePriorities.allocate(TreeSet.rangeClosed(1, 99))).isEqualTo(32765);
        assertThat(RulePriorities.allocate(TreeSet.rangeClosed(1, 99).add(32765))).isEqualTo(32764);
        assertThat(RulePriorities.allocate(TreeSet.rangeClosed(1, 99).addAll(TreeSet.rangeClosed(101, 32765)))).isEqualTo(-1);
    }

    @Test
    void agreesWithCountingDownOnRandomHeldSets() {
        Random random = new Random(20261126);
        for (int round = 0; round < 2000; round++) {
            SortedSet<Integer> held = TreeSet.empty();
            int lowBand = random.nextInt(100);
            for (int i = 0; i < lowBand; i++) {
                held = held.add(1 + random.nextInt(99));
            }
            if (random.nextBoolean()) {
                held = held.addAll(TreeSet.rangeClosed(1, 99));
                int highBand = random.nextInt(50);
                for (int i = 0; i < highBand; i++) {
                    held = held.add(32765 - random.nextInt(60));
                }
            }
            assertThat(RulePriorities.allocate(held)).as("held %s", held).isEqualTo(firstFreeCountingDown(held));
        }
    }
}
