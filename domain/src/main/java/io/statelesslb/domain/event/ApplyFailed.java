package io.statelesslb.domain.event;

import java.util.Objects;

/**
 * The dataplane refused an operation and kept refusing it through every retry: {@code operation} is the one it stopped
 * at, {@code error} the kernel's (or the simulator's) words, {@code attempts} how many times the apply was tried.
 * Logged so that the audit trail shows when the dataplane fell behind the state and why; the state does not change, the
 * next reconcile tries again.
 */
public record ApplyFailed(String operation, String error, int attempts) implements ControllerRecord {

    public ApplyFailed {
        Objects.requireNonNull(operation, "operation is required");
        Objects.requireNonNull(error, "error is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.applyFailed(this);
    }
}
