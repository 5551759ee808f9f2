package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import java.nio.ByteBuffer;

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
        return address.family() == Family.IPV4
                ? ByteBuffer.allocate(4).putInt(address.ipv4Bits()).array()
                : ByteBuffer.allocate(16).putLong(address.high()).putLong(address.low()).array();
    }

    static IpAddress read(Family family, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return family == Family.IPV4 ? IpAddress.ipv4(buffer.getInt())
                : IpAddress.ipv6(buffer.getLong(), buffer.getLong());
    }
}
