package io.statelesslb.domain.event;

/** A gateway was defined or changed; {@code protocol} is {@code bgp} or {@code static}. */
public record GatewayDefined(String name, String address, String interfaceName, String protocol, boolean bfd, long remoteAsn, long localAsn) implements ConfigurationEvent {}
