package io.statelesslb.domain.event;

/** An attractor was deleted. */
public record AttractorDeleted(String name) implements ConfigurationEvent {}
