package io.statelesslb.domain.model;

import io.statelesslb.domain.net.IpAddress;

/**
 * A load-balancer instance of the trench's LB tier (nfqlb's {@code --lbshm}): where the other instances send the
 * fragments of a datagram it owns by address hash, and the interface it sends theirs from.
 *
 * @param name          the instance's name ({@code slb run --instance})
 * @param identifier    its slot in the tier's Maglev table plus one (1..{@link #MAX_INSTANCES})
 * @param address       its address on the network it shares with the other instances
 * @param interfaceName its interface on that network: the one the gateways' traffic comes in by too
 */
public record Instance(String name, int identifier, IpAddress address, String interfaceName) {

    /** How many instances the tier holds: its Maglev table's N. */
    public static final int MAX_INSTANCES = 32;
    /** The tier's Maglev table size M (the engine takes the largest prime not above it). */
    public static final int TIER_M = 997;
    /**
     * Instance n's fwmark, and the routing table its fragments go by, is this plus n: 4097..4128, right above the
     * gateways' table and below the streams' ranges (from 5000).
     */
    public static final int FWMARK_OFFSET = 4096;

    /** @return the fwmark (and table) of the fragments sent to this instance */
    public int fwmark() {
        return FWMARK_OFFSET + identifier;
    }
}
