package io.statelesslb.domain.event;

/** A registered target was taken out of service but stays registered. */
public record TargetDisabled(String stream, int identifier) implements TargetEvent {}
