package io.statelesslb.domain.event;

/**
 * What the controller itself records of how the dataplane took its operations: drift found and repaired, applies
 * that kept failing and their recovery. For the audit trail: they leave the state as it is, and recording them
 * reconciles nothing.
 */
public sealed interface ControllerRecord extends ObservationEvent permits DriftObserved, ApplyFailed, ApplyRecovered {
}
