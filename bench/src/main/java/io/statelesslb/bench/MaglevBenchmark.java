package io.statelesslb.bench;

import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.engine.maglev.Permutations;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Maglev for M=9973 (requested 10000), N=100, as nfqlb was measured (permutations about 5.8 ms, populate about
 * 0.35 ms): computing the permutations, and repopulating after one target leaves or comes back (the permutations
 * come from the cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MaglevBenchmark {

    private Maglev maglev;
    private boolean present = true;

    @Setup
    public void table() {
        maglev = new Maglev(10000, 100, new PermutationCache());
        int[] all = new int[100];
        for (int slot = 0; slot < 100; slot++) {
            all[slot] = 5000 + slot;
        }
        maglev.setAll(all);
    }

    @Benchmark
    public Permutations permutations() {
        return Permutations.compute(9973, 100);
    }

    /** One target leaves or comes back: a full repopulate, published atomically. */
    @Benchmark
    public Maglev.View repopulateAfterOneTargetChange() {
        if (present) {
            maglev.deactivate(42);
        } else {
            maglev.activate(42, 5042);
        }
        present = !present;
        return maglev.view();
    }
}
