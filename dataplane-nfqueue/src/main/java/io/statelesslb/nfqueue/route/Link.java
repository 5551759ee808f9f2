package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Cidr;
import java.util.List;

/**
 * An interface as the kernel reports it ({@code ip -o addr show}): name, index, whether it is up, its MTU, and its
 * addresses with their prefix lengths.
 */
public record Link(String name, int index, boolean up, int mtu, List<Cidr> addresses) {

    public Link {
        addresses = List.copyOf(addresses);
    }
}
