package io.statelesslb.domain.event;

/** The trench this daemon serves was named. */
public record TrenchDefined(String name) implements ConfigurationEvent {}
