package io.statelesslb.domain.model;

import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.SortedSet;
import io.vavr.control.Option;

/**
 * A backend registered into a stream under {@code identifier} (1..maxTargets), with at most one IP per family.
 *
 * <p>{@code rulePriority} is the ip-rule priority given to the target's fwmark rules when it registered; it is
 * kept in the state so that a restart or a replay installs the very same rules.
 */
public record Target(String stream, int identifier, SortedSet<IpAddress> ips, boolean enabled, int rulePriority) {

    /** @return the target's address in {@code family}, if it has one */
    public Option<IpAddress> ip(Family family) {
        return ips.find(ip -> ip.family() == family);
    }

    /** @return the same target, enabled or disabled */
    public Target withEnabled(boolean enabled) {
        return enabled == this.enabled ? this : new Target(stream, identifier, ips, enabled, rulePriority);
    }
}
