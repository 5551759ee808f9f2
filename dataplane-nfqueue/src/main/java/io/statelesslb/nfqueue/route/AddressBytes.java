package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import java.util.Arrays;

/** Addresses as netlink carries them: 4 or 16 bytes in network order, and the family numbers. */
final class AddressBytes {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private AddressBytes() {
    }

    static int family(Family family) {
        return family == Family.IPV4 ? AF_INET : AF_INET6;
    }

    static Family family(int af) {
        return af == AF_INET ? Family.IPV4 : Family.IPV6;
    }

    static byte[] of(IpAddress address) {
        return address.bytes();
    }

    /** @return the address of {@code family} at the start of {@code bytes} (an attribute may be padded) */
    static IpAddress read(Family family, byte[] bytes) {
        return IpAddress.fromBytes(Arrays.copyOf(bytes, family == Family.IPV4 ? 4 : 16));
    }
}
