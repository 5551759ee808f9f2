package io.statelesslb.engine.maglev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaglevTableTest {

    @Test
    void fastModuloEqualsUnsignedRemainderForEveryTableSize() {
        Random random = new Random(20261126);
        PermutationCache cache = new PermutationCache();
        for (int m : new int[] {3, 97, 997, 9973, 29989, 99991, 993997}) {
            MaglevTable table = MaglevTable.populate(cache.get(m, 1), new boolean[] {true});
            int[] edges = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, m, m - 1, m + 1, -m};
            for (int hash : edges) {
                assertThat(table.index(hash)).as("M=%d hash=%d", m, hash).isEqualTo(Integer.remainderUnsigned(hash, m));
            }
            for (int i = 0; i < 200_000; i++) {
                int hash = random.nextInt();
                assertThat(table.index(hash)).isEqualTo(Integer.remainderUnsigned(hash, m));
            }
        }
    }

    @Test
    void rowsWrittenOutAndRowsWalkedGiveTheSameTables() {
        Random random = new Random(20261206);
        for (int[] shape : new int[][] {{97, 5}, {997, 30}, {9973, 100}}) {
            Permutations written = Permutations.compute(shape[0], shape[1]);
            Permutations walked = Permutations.compute(shape[0], shape[1], 0);
            assertThat(written.rows()).isNotNull();
            assertThat(walked.rows()).isNull();
            for (int round = 0; round < 50; round++) {
                boolean[] active = new boolean[shape[1]];
                for (int slot = 0; slot < active.length; slot++) {
                    active[slot] = random.nextInt(4) != 0;
                }
                MaglevTable fromRows = MaglevTable.populate(written, active);
                MaglevTable fromSkips = MaglevTable.populate(walked, active);
                for (int i = 0; i < shape[0]; i++) {
                    assertThat(fromRows.entry(i)).as("M=%d N=%d round %d entry %d", shape[0], shape[1], round, i)
                            .isEqualTo(fromSkips.entry(i));
                }
            }
        }
        assertThat(Permutations.compute(99991, 1000).rows()).as("M x N above the limit: walked, not written out")
                .isNull();
    }

    @Test
    void ofSeveralEntriesTheFirstIsTheOneThatComesEarliestInTheRow() {
        Random random = new Random(7);
        // 99991 is above 2^16: the remainder by division instead of two multiplications.
        for (int m : new int[] {97, 9973, 65521, 99991}) {
            Permutations permutations = Permutations.compute(m, 20, 0);
            for (int round = 0; round < 2_000; round++) {
                int slot = random.nextInt(20);
                int count = 1 + random.nextInt(64);
                int[] positions = random.ints(0, m).distinct().limit(count).toArray();
                int[] entries = new int[count];
                int earliest = 0;
                for (int i = 0; i < count; i++) {
                    entries[i] = permutations.entry(slot, positions[i]);
                    earliest = positions[i] < positions[earliest] ? i : earliest;
                }
                assertThat(permutations.first(slot, entries, count)).as("M=%d slot %d positions %s", m, slot,
                        Arrays.toString(positions)).isEqualTo(earliest);
            }
        }
    }

    @Test
    void withNoActiveSlotEveryEntryIsNone() {
        MaglevTable table = MaglevTable.populate(new PermutationCache().get(97, 5), new boolean[5]);
        for (int i = 0; i < table.size(); i++) {
            assertThat(table.entry(i)).isEqualTo(MaglevTable.NONE);
        }
    }

    @Test
    void changingOneTargetMovesAboutOneNthOfTheEntries() {
        Permutations permutations = new PermutationCache().get(9973, 100);
        boolean[] all = new boolean[100];
        java.util.Arrays.fill(all, true);
        MaglevTable before = MaglevTable.populate(permutations, all);
        all[42] = false;
        MaglevTable after = MaglevTable.populate(permutations, all);
        int moved = 0;
        for (int i = 0; i < before.size(); i++) {
            if (before.entry(i) != after.entry(i)) {
                moved++;
            }
            assertThat(after.entry(i)).isNotEqualTo(42);
        }
        // The entries of slot 42 (about M/N) must move; Maglev moves some others, but few (measured: 2.5 M/N).
        assertThat(moved).isBetween(9973 / 100, 3 * 9973 / 100);
    }
}
