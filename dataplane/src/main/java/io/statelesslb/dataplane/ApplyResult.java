package io.statelesslb.dataplane;

import io.statelesslb.domain.diff.Op;
import java.util.List;

/**
 * What a {@link Dataplane} did with a list of operations: all applied, or some refused and the rest applied. A
 * refused operation never stops the others; those that depend on it are refused in turn by their own safety checks
 * (a slot whose route could not be set is not activated).
 */
public sealed interface ApplyResult permits ApplyResult.Applied, ApplyResult.Failed {

    /** @return how many operations took effect */
    int applied();

    /** Every operation was applied. */
    record Applied(int applied) implements ApplyResult {
    }

    /** One refused operation: its position in the list, and the dataplane's words (the kernel's, as ip prints them). */
    record Refusal(int index, Op op, String error) {

        @Override
        public String toString() {
            return (op == null ? "apply" : op.describe()) + ": " + error;
        }
    }

    /**
     * Some operations were refused ({@code refusals}, never empty, in order); the other {@code applied} took effect.
     */
    record Failed(int applied, List<Refusal> refusals) implements ApplyResult {

        public Failed {
            refusals = List.copyOf(refusals);
            if (refusals.isEmpty()) {
                throw new IllegalArgumentException("a failed apply names at least one refusal");
            }
        }

        /** @return a failure of the apply as a whole, before any operation (the dataplane could not be read) */
        public static Failed whole(String error) {
            return new Failed(0, List.of(new Refusal(0, null, error)));
        }

        /** @return the first refused operation, or null when the apply failed as a whole */
        public Op op() {
            return refusals.get(0).op();
        }

        /** @return the first refusal's words */
        public String error() {
            return refusals.get(0).error();
        }

        @Override
        public String toString() {
            return refusals.get(0) + (refusals.size() > 1 ? " (and " + (refusals.size() - 1) + " more refused)" : "");
        }
    }
}
