package io.statelesslb.domain.event;

/**
 * Something that happened to the trench: a configuration object was defined or deleted, a target was
 * registered or changed, or the kernel or a gateway daemon observed something. Events are immutable facts,
 * named in the past tense; the event log gives each one a sequence number and a timestamp
 * ({@link RecordedEvent}).
 */
public sealed interface Event permits ConfigurationEvent, TargetEvent, ObservationEvent {
}
