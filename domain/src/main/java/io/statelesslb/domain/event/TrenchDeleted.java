package io.statelesslb.domain.event;

/** The trench was taken down; only allowed once nothing else is defined. */
public record TrenchDeleted(String name) implements ConfigurationEvent {}
