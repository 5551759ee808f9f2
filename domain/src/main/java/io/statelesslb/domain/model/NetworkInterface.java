package io.statelesslb.domain.model;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.SortedSet;
import io.vavr.control.Option;

/** A kernel network interface as last observed: its addresses (with prefix), whether it is up, its MTU. */
public record NetworkInterface(String name, boolean up, SortedSet<Cidr> addresses, int mtu) {

    /** MTU assumed when an observation does not carry one. */
    public static final int DEFAULT_MTU = 1500;

    /** @return the address of this interface whose subnet holds {@code ip}, if any */
    public Option<Cidr> subnetOf(IpAddress ip) {
        return addresses.find(address -> address.contains(ip));
    }
}
