package io.statelesslb.domain.event;

/** A stream was deleted. */
public record StreamDeleted(String name) implements ConfigurationEvent {}
