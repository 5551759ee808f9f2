package io.statelesslb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Drift;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.util.List;

/**
 * The controller in miniature for scenario tests: commands → decide → evolve → plan → diff → the simulator.
 */
final class SimulatedTrench {

    final SimulatedDataplane dataplane;
    private final Planner planner = new Planner();
    private State state = State.empty();
    private DataplaneSpec lastApplied = DataplaneSpec.empty();

    SimulatedTrench() {
        this.dataplane = new SimulatedDataplane(new SimulatedHost());
    }

    /** Decides each command (each must be accepted), evolves the state, and reconciles the dataplane once. */
    SimulatedTrench submit(List<? extends Command> commands) {
        for (Command command : commands) {
            state = state.evolve(Scenarios.event(state, command));
        }
        ApplyResult result = dataplane.apply(Diff.diff(dataplane.actual(), planner.next(state)));
        assertThat(result).isInstanceOf(ApplyResult.Applied.class);
        lastApplied = dataplane.actual();
        return this;
    }

    /** Submits what the dataplane observes (the simulated routing daemon's sessions) against the state. */
    SimulatedTrench observe() {
        return submit(dataplane.observe(state));
    }

    SimulatedTrench submit(Command... commands) {
        return submit(List.of(commands));
    }

    /** The periodic verify: what the dataplane holds against what was last applied. */
    List<RecordDrift> verify() {
        return Drift.observe(lastApplied, dataplane.actual());
    }

    SimulatedHost host() {
        return dataplane.host();
    }

    State state() {
        return state;
    }
}
