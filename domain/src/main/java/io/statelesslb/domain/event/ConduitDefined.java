package io.statelesslb.domain.event;

/** A conduit was defined or changed; an empty {@code interfacePrefix} means {@code name + "-"}. */
public record ConduitDefined(String name, String interfacePrefix) implements ConfigurationEvent {}
