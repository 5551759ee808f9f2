package io.statelesslb.dataplane;

import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import java.util.List;

/**
 * A backend that holds a dataplane: the pure-Java simulator, or the real kernel. The controller diffs what is
 * {@link #applied()} against the plan and hands the operations to {@link #apply}.
 */
public interface Dataplane {

    /** @return what this dataplane holds now, as far as this backend knows */
    DataplaneSpec applied();

    /**
     * Applies operations in order, stopping at the first one that fails; those before it stay applied.
     *
     * @param ops to apply, as {@code Diff.diff} ordered them
     * @return how many were applied, and the failure if one stopped the rest
     */
    ApplyResult apply(List<Op> ops);
}
