package io.statelesslb.bench;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Decision;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;

/**
 * fold + plan + diff for one target event on a trench of 10 streams × 100 targets: the controller's work per
 * event. Each invocation takes a target out or puts it back, alternately, so the state never drifts.
 */
@org.openjdk.jmh.annotations.State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReconcileBenchmark {

    private final Command unregister = new UnregisterTarget("stream-5", 50);
    private final Command register = new RegisterTarget("stream-5", 50,
            List.of(Scenarios.targetIpv4(5, 50), Scenarios.targetIpv6(5, 50)));

    private Planner planner;
    private State state;
    private DataplaneSpec applied;
    private boolean present;

    @Setup
    public void trench() {
        state = Scenarios.fold(Scenarios.large(10, 100));
        planner = new Planner();
        applied = planner.next(state);
        present = true;
    }

    @Benchmark
    public List<Op> decideEvolvePlanDiff() {
        State next = decideAndEvolve(present ? unregister : register);
        DataplaneSpec desired = planner.next(next);
        List<Op> ops = Diff.diff(applied, desired);
        if (ops.isEmpty() || ops.size() > 4) {
            throw new IllegalStateException("expected 1..4 ops, got " + ops);
        }
        state = next;
        applied = desired;
        present = !present;
        return ops;
    }

    /** Deciding and evolving alone, for the breakdown. */
    @Benchmark
    public State decideAndEvolveOnly() {
        State next = decideAndEvolve(present ? unregister : register);
        state = next;
        present = !present;
        return next;
    }

    private State decideAndEvolve(Command command) {
        if (!(Decider.decide(state, command) instanceof Decision.Accepted accepted)) {
            throw new IllegalStateException(command + " rejected");
        }
        return state.evolve(accepted.event());
    }
}
