package io.statelesslb.dataplane;

import io.statelesslb.domain.diff.Op;

/** What a {@link Dataplane} did with a list of operations. */
public sealed interface ApplyResult permits ApplyResult.Applied, ApplyResult.Failed {

    /** Every operation was applied. */
    record Applied(int count) implements ApplyResult {
    }

    /**
     * The first {@code applied} operations were applied; {@code op} failed with {@code error} (the kernel's text).
     */
    record Failed(int applied, Op op, String error) implements ApplyResult {

        @Override
        public String toString() {
            return (op == null ? "apply" : op.describe()) + ": " + error;
        }
    }
}
