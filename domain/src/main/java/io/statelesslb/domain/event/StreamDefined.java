package io.statelesslb.domain.event;

/** A stream was defined or changed. */
public record StreamDefined(String name, String conduit, int maxTargets) implements ConfigurationEvent {}
