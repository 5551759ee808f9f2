package io.statelesslb.domain.event;

import io.statelesslb.domain.model.GatewayOptions;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.net.IpAddress;
import java.util.Objects;

/** A gateway was defined or changed. */
public record GatewayDefined(
        String name,
        IpAddress address,
        String interfaceName,
        GatewayProtocol protocol,
        boolean bfd,
        long remoteAsn,
        long localAsn,
        GatewayOptions options) implements ConfigurationEvent {

    public GatewayDefined {
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(address, "address is required");
        Objects.requireNonNull(interfaceName, "interfaceName is required");
        Objects.requireNonNull(protocol, "protocol is required");
        // Logs from before the options existed hold none: their gateways ran with the defaults.
        options = options == null ? GatewayOptions.DEFAULTS : options;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.gatewayDefined(this);
    }
}
