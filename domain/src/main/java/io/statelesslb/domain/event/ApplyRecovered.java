package io.statelesslb.domain.event;

/**
 * An apply succeeded after an {@link ApplyFailed}: the dataplane matches the plan again. The state does not
 * change.
 *
 * @param operations how many operations the successful apply carried
 */
public record ApplyRecovered(int operations) implements ObservationEvent {
}
