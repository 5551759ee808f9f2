package io.statelesslb.controller.pipeline;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Drift;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import java.util.List;

/**
 * plan → diff → apply for one dataplane: brings the dataplane to the plan of a state. Keeps one incremental
 * {@link Planner}, so successive states cost only what changed. Not thread-safe: one per pipeline lane.
 */
public final class Reconciler {

    private final Planner planner = new Planner();
    private final Dataplane dataplane;
    private DataplaneSpec lastDesired = DataplaneSpec.empty();
    private boolean lastApplied = true;

    /** What one reconciliation planned, which operations it handed over, and how the dataplane took them. */
    public record Reconciliation(DataplaneSpec desired, List<Op> ops, ApplyResult result) {
    }

    public Reconciler(Dataplane dataplane) {
        this.dataplane = dataplane;
    }

    /**
     * @param state to bring the dataplane to
     * @return the plan, the operations and the dataplane's answer
     */
    public Reconciliation reconcile(State state) {
        DataplaneSpec desired = planner.next(state);
        List<Op> ops = Diff.diff(dataplane.actual(), desired);
        ApplyResult result = dataplane.apply(ops);
        lastDesired = desired;
        lastApplied = result instanceof ApplyResult.Applied;
        return new Reconciliation(desired, ops, result);
    }

    /**
     * The periodic verify: what the dataplane holds against what was last applied in full. Nothing is reported
     * while an apply is failing: the difference then is work not yet done, not drift.
     *
     * @return one {@link RecordDrift} per operation that would undo a change made behind the controller's back
     */
    public List<RecordDrift> verify() {
        return lastApplied ? Drift.observe(lastDesired, dataplane.actual()) : List.of();
    }
}
