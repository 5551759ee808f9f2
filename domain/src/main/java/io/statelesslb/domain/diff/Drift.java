package io.statelesslb.domain.diff;

import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.plan.DataplaneSpec;
import java.util.List;

/**
 * Compares the dataplane a backend actually holds with the one last applied: every difference is drift, reported
 * as a {@link DriftObserved} event naming the operation that repairs it ({@code diff(actual, expected)}).
 */
public final class Drift {

    private Drift() {
    }

    /**
     * @param expected what was applied
     * @param actual   what the backend holds now
     * @return one event per repairing operation, in the order they must be applied; empty when nothing drifted
     */
    public static List<DriftObserved> observe(DataplaneSpec expected, DataplaneSpec actual) {
        return Diff.diff(actual, expected).stream().map(op -> new DriftObserved(op.describe())).toList();
    }
}
