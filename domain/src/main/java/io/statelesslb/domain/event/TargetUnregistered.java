package io.statelesslb.domain.event;

/** A target left its stream. */
public record TargetUnregistered(String stream, int identifier) implements TargetEvent {}
