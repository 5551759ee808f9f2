package io.statelesslb.domain.command;

/**
 * Record that a verify found the kernel changed behind the controller's back; {@code repair} undoes it. Decided into
 * {@code DriftObserved}.
 */
public record RecordDrift(String repair) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.recordDrift(this);
    }
}
