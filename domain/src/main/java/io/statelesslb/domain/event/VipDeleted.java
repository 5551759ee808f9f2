package io.statelesslb.domain.event;

/** A VIP was deleted. */
public record VipDeleted(String name) implements ConfigurationEvent {}
