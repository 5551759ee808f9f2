package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A unicast route ({@code struct rtmsg} and its {@code RTA_*} attributes) in a numbered table, through one next
 * hop or several (ECMP). The routes stateless-lb writes are a target's
 * {@code ip route replace default via 172.16.0.2 dev conduit-a-1 table 5001 proto 115} and the gateways'
 * {@code ip route replace default table 4096 proto 115 nexthop via A dev D nexthop via B dev D}.
 *
 * @param destination the prefix, such as {@code 0.0.0.0/0} for the default route
 * @param nexthops    at least one (a next hop the kernel marked dead, its device down, is left out when read)
 * @param protocol    who owns the route ({@code rtm_protocol}: {@code ip route} writes 3, boot)
 */
public record Route(Family family, int table, Cidr destination, List<Nexthop> nexthops, int protocol) {

    /** A next hop: the gateway and the interface (by index) it is reached through. */
    public record Nexthop(IpAddress via, int interfaceIndex) {
    }

    /** {@code RTA_DST}: the destination prefix. */
    static final int RTA_DST = 1;
    /** {@code RTA_OIF}: the output interface's index. */
    static final int RTA_OIF = 4;
    /** {@code RTA_GATEWAY}: the next hop's address. */
    static final int RTA_GATEWAY = 5;
    /** {@code RTA_MULTIPATH}: the next hops of an ECMP route, as {@code struct rtnexthop}s. */
    static final int RTA_MULTIPATH = 9;
    /** {@code RTA_TABLE}: the table (32 bits). */
    static final int RTA_TABLE = 15;
    /** {@code RT_TABLE_UNSPEC}: the header's 8-bit table when {@code RTA_TABLE} carries it. */
    static final int RT_TABLE_UNSPEC = 0;
    /** {@code RTPROT_BOOT}: the protocol {@code ip route add} gives routes. */
    static final int RTPROT_BOOT = 3;
    /** {@code RT_SCOPE_NOWHERE}: what {@code ip route del} asks for when it names no scope (any will do). */
    static final int RT_SCOPE_NOWHERE = 255;
    /** {@code RTNH_F_DEAD}: a next hop whose device is down. */
    static final int RTNH_F_DEAD = 1;
    /** {@code RT_SCOPE_UNIVERSE}: a route to anywhere. */
    static final int RT_SCOPE_UNIVERSE = 0;
    /** {@code RTN_UNICAST}: a gateway or direct route. */
    static final int RTN_UNICAST = 1;

    /** Size of {@code struct rtmsg}. */
    static final int HEADER = 12;
    /** Size of {@code struct rtnexthop}. */
    static final int RTNH_LENGTH = 8;

    public Route {
        nexthops = List.copyOf(nexthops);
        if (nexthops.isEmpty()) {
            throw new IllegalArgumentException("route to " + destination + " in table " + table + " has no next hop"
                    + " (expected: at least one)");
        }
    }

    /** @return the default route of {@code family} in {@code table}, owned by {@code protocol} */
    public static Route defaultRoute(Family family, int table, List<Nexthop> nexthops, int protocol) {
        return new Route(family, table, any(family), nexthops, protocol);
    }

    private static Cidr any(Family family) {
        return new Cidr(family == Family.IPV4 ? IpAddress.ipv4(0) : IpAddress.ipv6(0, 0), 0);
    }

    /**
     * Writes the deletion of a table's default route owned by {@code protocol}, as {@code ip route del default
     * table T proto P} does: whatever its next hops, but only if it is that owner's.
     */
    static void encodeDeleteDefault(MessageWriter message, Family family, int table, int protocol) {
        message.u8(AddressBytes.family(family))
                .u8(0) // dst_len
                .u8(0) // src_len
                .u8(0) // tos
                .u8(RT_TABLE_UNSPEC)
                .u8(protocol)
                .u8(family == Family.IPV4 ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE)
                .u8(0) // type: any
                .u32(0); // flags
        if (family == Family.IPV6) {
            message.attribute(RTA_DST, AddressBytes.of(any(family).address()));
        }
        message.attribute(RTA_TABLE, table);
    }

    /**
     * Writes the route after a message header, as {@code ip route} does: the header; for IPv6, the destination
     * even when it is the default; the gateway, table and interface of a single next hop, or the table and the
     * {@code RTA_MULTIPATH} list of several.
     */
    void encode(MessageWriter message) {
        message.u8(AddressBytes.family(family))
                .u8(destination.prefixLength())
                .u8(0) // src_len
                .u8(0) // tos
                .u8(RT_TABLE_UNSPEC)
                .u8(protocol)
                .u8(RT_SCOPE_UNIVERSE)
                .u8(RTN_UNICAST)
                .u32(0); // flags
        if (destination.prefixLength() > 0 || family == Family.IPV6) {
            message.attribute(RTA_DST, AddressBytes.of(destination.address()));
        }
        if (nexthops.size() == 1) {
            Nexthop hop = nexthops.get(0);
            message.attribute(RTA_GATEWAY, AddressBytes.of(hop.via()));
            message.attribute(RTA_TABLE, table);
            message.attribute(RTA_OIF, hop.interfaceIndex());
            return;
        }
        message.attribute(RTA_TABLE, table);
        message.begin(RTA_MULTIPATH);
        for (Nexthop hop : nexthops) {
            message.beginLengthPrefixed()
                    .u16(0) // rtnh_len, set by end()
                    .u8(0) // rtnh_flags
                    .u8(0) // rtnh_hops: weight - 1
                    .u32(hop.interfaceIndex())
                    .attribute(RTA_GATEWAY, AddressBytes.of(hop.via()))
                    .end();
        }
        message.end();
    }

    /** Writes the {@code struct rtmsg} and {@code RTA_DST} of a lookup: {@code ip route get ADDRESS}. */
    static void encodeLookup(MessageWriter message, IpAddress destination) {
        Family family = destination.family();
        message.u8(AddressBytes.family(family)).u8(family == Family.IPV4 ? 32 : 128).put(new byte[HEADER - 2]);
        message.attribute(RTA_DST, AddressBytes.of(destination));
    }

    /** @return the {@code RTA_OIF} of a route the kernel answered a lookup with, or 0 */
    static int outputInterface(ByteBuffer message, int offset, int end) {
        AttributeReader attributes = new AttributeReader(message, offset + HEADER, end);
        while (attributes.next()) {
            if (attributes.type() == RTA_OIF) {
                return attributes.u32();
            }
        }
        return 0;
    }

    /** @return the route in a message from the kernel (at {@code offset}, past its {@code nlmsghdr}) */
    static Route decode(ByteBuffer message, int offset, int end) {
        Family family = AddressBytes.family(Byte.toUnsignedInt(message.get(offset)));
        int destinationLength = Byte.toUnsignedInt(message.get(offset + 1));
        int table = Byte.toUnsignedInt(message.get(offset + 4));
        int protocol = Byte.toUnsignedInt(message.get(offset + 5));
        boolean dead = (message.getInt(offset + 8) & RTNH_F_DEAD) != 0;
        IpAddress destination = family == Family.IPV4 ? IpAddress.ipv4(0) : IpAddress.ipv6(0, 0);
        IpAddress gateway = null;
        int interfaceIndex = 0;
        List<Nexthop> nexthops = new ArrayList<>();
        AttributeReader attributes = new AttributeReader(message, offset + HEADER, end);
        while (attributes.next()) {
            switch (attributes.type()) {
                case RTA_DST -> destination = AddressBytes.read(family, attributes.bytes());
                case RTA_GATEWAY -> gateway = AddressBytes.read(family, attributes.bytes());
                case RTA_OIF -> interfaceIndex = attributes.u32();
                case RTA_TABLE -> table = attributes.u32();
                case RTA_MULTIPATH -> nexthops.addAll(multipath(message, family, attributes));
                default -> { } // metrics, preference, cache info: not what stateless-lb writes
            }
        }
        if (nexthops.isEmpty() && gateway != null && !dead) {
            nexthops.add(new Nexthop(gateway, interfaceIndex));
        }
        if (nexthops.isEmpty()) {
            return null; // a direct or local route, or one through a device that is down: not one that forwards
        }
        return new Route(family, table, new Cidr(destination, destinationLength), nexthops, protocol);
    }

    private static List<Nexthop> multipath(ByteBuffer message, Family family, AttributeReader multipath) {
        List<Nexthop> hops = new ArrayList<>();
        int at = multipath.payloadOffset();
        int end = at + multipath.payloadLength();
        while (at + RTNH_LENGTH <= end) {
            int length = Short.toUnsignedInt(message.getShort(at));
            if (length < RTNH_LENGTH || at + length > end) {
                break;
            }
            boolean dead = (Byte.toUnsignedInt(message.get(at + 2)) & RTNH_F_DEAD) != 0;
            int interfaceIndex = message.getInt(at + 4);
            AttributeReader attributes = new AttributeReader(message, at + RTNH_LENGTH, at + length);
            while (attributes.next()) {
                if (attributes.type() == RTA_GATEWAY && !dead) {
                    hops.add(new Nexthop(AddressBytes.read(family, attributes.bytes()), interfaceIndex));
                }
            }
            at += MessageWriter.align(length);
        }
        return hops;
    }
}
