package io.statelesslb.domain.event;

/** A VIP was defined or moved to another address ({@code address} is a CIDR). */
public record VipDefined(String name, String address) implements ConfigurationEvent {}
