package io.statelesslb.controller.pipeline;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Drift;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.vavr.control.Option;
import java.util.List;

/**
 * plan → read back → diff → apply for one dataplane, level-triggered: the dataplane is brought to the plan of a
 * state from what it holds now, never from what it was last asked to hold, and the operations that repair changes
 * made behind the controller's back are told apart as drift. Keeps one incremental {@link Planner}, so successive
 * states cost only what changed. Not thread-safe: one per pipeline lane.
 */
public final class Reconciler {

    private final Planner planner;
    private final Dataplane dataplane;
    /** The plan last applied in full; null before the first, and while an apply is failing. */
    private DataplaneSpec lastApplied;

    /**
     * What one reconciliation planned, which operations it handed over, which of them repair drift, and how the
     * dataplane took them.
     */
    public record Reconciliation(DataplaneSpec desired, List<Op> ops, List<Op> drift, ApplyResult result) {
    }

    public Reconciler(Dataplane dataplane) {
        this(dataplane, null);
    }

    /** @param instance the instance of the trench the plans are for (its place in the LB tier), null when alone */
    public Reconciler(Dataplane dataplane, String instance) {
        this.dataplane = dataplane;
        this.planner = new Planner(Option.of(instance));
    }

    /**
     * @param state to bring the dataplane to
     * @return the plan, the operations (those among them that repair drift) and the dataplane's answer
     */
    public Reconciliation reconcile(State state) {
        DataplaneSpec desired = planner.next(state);
        List<Op> ops = Diff.diff(dataplane.actual(), desired);
        // Before anything was applied in full (a start, a failing apply), differences are work, not drift.
        List<Op> drift = lastApplied == null ? List.of() : Drift.among(ops, lastApplied, desired);
        // Even with nothing to do: the dataplane learns that it holds the plan (the kernel's queue workers, held at a
        // start until then, begin to read).
        ApplyResult result = dataplane.apply(ops);
        lastApplied = result instanceof ApplyResult.Applied ? desired : null;
        return new Reconciliation(desired, ops, drift, result);
    }
}
