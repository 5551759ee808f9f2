package io.statelesslb.domain.plan;

import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.net.Cidr;
import io.vavr.collection.SortedSet;
import java.util.Objects;

/**
 * One session of the routing daemon: the gateway it runs with, and the VIPs announced over it (of the gateway's
 * family, of the attractors that use it, while a target can take their traffic).
 *
 * @param gateway   the gateway as defined
 * @param announced the VIPs exported to it, as host prefixes ({@code /32}, {@code /128})
 */
public record GatewaySpec(Gateway gateway, SortedSet<Cidr> announced) {

    public GatewaySpec {
        Objects.requireNonNull(gateway, "gateway is required");
        Objects.requireNonNull(announced, "announced is required");
    }

    /** @return the gateway's name */
    public String name() {
        return gateway.name();
    }
}
