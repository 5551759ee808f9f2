package io.statelesslb.domain.event;

/** A flow was deleted. */
public record FlowDeleted(String name) implements ConfigurationEvent {}
