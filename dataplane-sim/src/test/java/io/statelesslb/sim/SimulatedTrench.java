package io.statelesslb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Drift;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.Outcome;
import io.statelesslb.domain.state.State;
import java.util.List;

/** The controller in miniature for scenario tests: events → fold → plan → diff → the simulated dataplane. */
final class SimulatedTrench {

    final SimulatedDataplane dataplane;
    private final Planner planner = new Planner();
    private State state = State.empty();
    private DataplaneSpec lastApplied = DataplaneSpec.empty();

    SimulatedTrench(boolean promiscuousPing) {
        this.dataplane = new SimulatedDataplane(new SimulatedHost(), promiscuousPing);
    }

    SimulatedTrench apply(List<? extends Event> events) {
        for (Event event : events) {
            Outcome outcome = state.fold(event);
            assertThat(outcome).as("%s", event).isInstanceOf(Outcome.Accepted.class);
            state = ((Outcome.Accepted) outcome).state();
        }
        ApplyResult result = dataplane.apply(Diff.diff(dataplane.actual(), planner.next(state)));
        assertThat(result).isInstanceOf(ApplyResult.Applied.class);
        lastApplied = dataplane.actual();
        return this;
    }

    /** The periodic verify: what the dataplane holds against what was last applied. */
    List<DriftObserved> verify() {
        return Drift.observe(lastApplied, dataplane.actual());
    }

    SimulatedTrench apply(Event... events) {
        return apply(List.of(events));
    }

    SimulatedHost host() {
        return dataplane.host();
    }

    State state() {
        return state;
    }
}
