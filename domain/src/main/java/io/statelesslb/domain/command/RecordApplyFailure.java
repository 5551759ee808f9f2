package io.statelesslb.domain.command;

/**
 * Record that the dataplane kept refusing {@code operation} with {@code error} through {@code attempts} tries. Decided
 * into {@code ApplyFailed}.
 */
public record RecordApplyFailure(String operation, String error, int attempts) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.recordApplyFailure(this);
    }
}
