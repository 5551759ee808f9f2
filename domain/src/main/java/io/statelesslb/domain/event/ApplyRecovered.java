package io.statelesslb.domain.event;

/**
 * An apply of {@code operations} operations succeeded after an {@link ApplyFailed}: the dataplane matches the plan
 * again. The state does not change.
 */
public record ApplyRecovered(int operations) implements ControllerRecord {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.applyRecovered(this);
    }
}
