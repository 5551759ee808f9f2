package io.statelesslb.domain.command;

/**
 * Record that an apply of {@code operations} operations succeeded after a failure. Decided into {@code ApplyRecovered}.
 */
public record RecordApplyRecovery(int operations) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.recordApplyRecovery(this);
    }
}
