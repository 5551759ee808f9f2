package io.statelesslb.domain.diff;

import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.plan.DataplaneSpec;
import java.util.List;

/**
 * Compares the dataplane a backend actually holds with the one last applied: every difference is drift, reported
 * as a {@link RecordDrift} naming the operation that repairs it ({@code diff(actual, expected)}).
 */
public final class Drift {

    private Drift() {
    }

    /**
     * @param expected what was applied
     * @param actual   what the backend holds now
     * @return one command per repairing operation, in the order they must be applied; empty when nothing drifted
     */
    public static List<RecordDrift> observe(DataplaneSpec expected, DataplaneSpec actual) {
        return Diff.diff(actual, expected).stream().map(op -> new RecordDrift(op.describe())).toList();
    }
}
