package io.statelesslb.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RulePrioritiesTest {

    /** The specification of the count-down: the first free value counting down from 99. */
    private static int firstFreeCountingDown(SortedSet<Integer> held) {
        for (int p = 99; p >= 1; p--) {
            if (!held.contains(p)) {
                return p;
            }
        }
        return -1;
    }

    @Test
    void countsDownFrom99LikeTheKernelReusingTheHighestFreed() {
        assertThat(RulePriorities.allocate(TreeSet.empty(), 5044)).isEqualTo(99);
        assertThat(RulePriorities.allocate(TreeSet.of(99, 98), 5044)).isEqualTo(97);
        assertThat(RulePriorities.allocate(TreeSet.of(99, 97), 5044)).isEqualTo(98);
        assertThat(RulePriorities.allocate(TreeSet.of(99, 97, 1), 5044)).isEqualTo(98);
    }

    @Test
    void onceOneTo99AreHeldThePriorityComesFromTheUniqueFwmark() {
        SortedSet<Integer> full = TreeSet.rangeClosed(1, 99);
        assertThat(RulePriorities.allocate(full, 5001)).isEqualTo(101);
        assertThat(RulePriorities.allocate(full, 5044)).isEqualTo(144);
        assertThat(RulePriorities.allocate(full, 5000 + 32665)).isEqualTo(32765);
        assertThat(RulePriorities.allocate(full, 5000 + 32666)).as("would reach the main table's rule").isEqualTo(-1);
    }

    @Test
    void agreesWithCountingDownOnRandomHeldSets() {
        Random random = new Random(20261126);
        for (int round = 0; round < 2000; round++) {
            SortedSet<Integer> held = TreeSet.empty();
            int count = random.nextInt(120);
            for (int i = 0; i < count; i++) {
                held = held.add(1 + random.nextInt(99));
            }
            int expected = held.size() == 99 ? 100 + 5044 - 5000 : firstFreeCountingDown(held);
            assertThat(RulePriorities.allocate(held, 5044)).as("held %s", held).isEqualTo(expected);
        }
    }
}
