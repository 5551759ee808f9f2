package io.statelesslb.domain.command;

/**
 * Define or change a gateway; {@code protocol} is {@code bgp} or {@code static}. Decided into {@code GatewayDefined}.
 */
public record DefineGateway(
        String name,
        String address,
        String interfaceName,
        String protocol,
        boolean bfd,
        long remoteAsn,
        long localAsn) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineGateway(this);
    }
}
