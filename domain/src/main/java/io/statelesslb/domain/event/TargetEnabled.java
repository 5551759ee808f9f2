package io.statelesslb.domain.event;

/** A registered target was put back into service. */
public record TargetEnabled(String stream, int identifier) implements TargetEvent {}
