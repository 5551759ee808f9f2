package io.statelesslb.domain.event;

/**
 * The dataplane refused an operation and kept refusing it through every retry: {@code operation} is the one it
 * stopped at, {@code error} the kernel's (or the simulator's) words. Logged so that the audit trail shows when
 * the dataplane fell behind the state and why; the state does not change, the next reconcile tries again.
 *
 * @param attempts how many times the apply was tried before this was recorded
 */
public record ApplyFailed(String operation, String error, int attempts) implements ObservationEvent {
}
