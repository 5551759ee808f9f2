package io.statelesslb.domain.command;

/**
 * Define or change a gateway; {@code protocol} is {@code bgp} or {@code static}. What is left out (null) takes its
 * default: no BFD, AS numbers 0 (a static gateway needs none), the session's options as {@code GatewayOptions}
 * says. Decided into {@code GatewayDefined}.
 */
public record DefineGateway(
        String name,
        String address,
        String interfaceName,
        String protocol,
        Boolean bfd,
        Long remoteAsn,
        Long localAsn,
        Integer localPort,
        Integer remotePort,
        Integer holdTime,
        Integer bfdMinTx,
        Integer bfdMinRx,
        Integer bfdMultiplier,
        String passwordFile) implements ConfigurationCommand {

    /** A gateway whose session runs with the default options. */
    public DefineGateway(String name, String address, String interfaceName, String protocol, boolean bfd,
                         long remoteAsn, long localAsn) {
        this(name, address, interfaceName, protocol, bfd, remoteAsn, localAsn, null, null, null, null, null, null,
                null);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.defineGateway(this);
    }
}
