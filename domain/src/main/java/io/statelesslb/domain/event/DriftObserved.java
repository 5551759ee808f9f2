package io.statelesslb.domain.event;

import java.util.Objects;

/**
 * A verify found the kernel's dataplane different from what was applied (an object changed behind the controller's
 * back); {@code repair} is the operation that puts it back. Logged for the audit trail; the state does not change, the
 * next reconcile repairs.
 */
public record DriftObserved(String repair) implements ControllerRecord {

    public DriftObserved {
        Objects.requireNonNull(repair, "repair is required");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.driftObserved(this);
    }
}
