package io.statelesslb.domain.event;

/** A gateway was deleted. */
public record GatewayDeleted(String name) implements ConfigurationEvent {}
