package io.statelesslb.domain.diff;

import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.plan.DataplaneSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes made to the dataplane behind the controller's back, found by comparing what a backend actually holds
 * with what the controller last made it hold. Each is reported as a {@link RecordDrift} naming the operation that
 * repairs it.
 */
public final class Drift {

    private Drift() {
    }

    /**
     * @param expected what the dataplane was made to hold
     * @param actual   what it holds now
     * @return one command per repairing operation ({@code diff(actual, expected)}), in the order they must be
     *         applied; empty when nothing drifted
     */
    public static List<RecordDrift> observe(DataplaneSpec expected, DataplaneSpec actual) {
        return Diff.diff(actual, expected).stream().map(op -> new RecordDrift(op.describe())).toList();
    }

    /**
     * The drift among the operations of a reconcile: those that bring {@code actual} to {@code desired} but would not
     * be needed had the dataplane still held {@code lastApplied} (the plan the controller last applied in full). A
     * change of the state alone (a target leaving) is no drift; a rule deleted by hand is, and so is one the kernel
     * dropped when it should not have.
     *
     * @param ops the operations of {@code diff(actual, desired)}
     * @return those of {@code ops} that repair what the controller did not change
     */
    public static List<Op> among(List<Op> ops, DataplaneSpec lastApplied, DataplaneSpec desired) {
        Set<Op> caused = new HashSet<>(Diff.diff(lastApplied, desired));
        return ops.stream().filter(op -> !caused.contains(op)).toList();
    }
}
