package io.statelesslb.domain.event;

/** A conduit was deleted. */
public record ConduitDeleted(String name) implements ConfigurationEvent {}
