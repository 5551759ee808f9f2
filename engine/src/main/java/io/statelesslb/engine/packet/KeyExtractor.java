package io.statelesslb.engine.packet;

import java.util.Arrays;

/**
 * Builds a packet's {@link PacketKey} from the raw IPv4 or IPv6 bytes NFQUEUE hands over, exactly as nfqlb does
 * (golden/hashkey.jsonl). Never throws and never allocates: truncated or unsupported input returns
 * {@link KeyResult#REJECTED}. Stateless and thread-safe; the key is the caller's.
 * <pre>
 *   IPv4:  0 ver/ihl  2 total length  4 id  6 flags/fragment offset  9 protocol  12 source  16 destination
 *   IPv6:  0 ver      4 payload length       6 next header  8 source  24 destination  40 next header...
 *   IPv6 Fragment header: 0 next header  2 offset(13)/res(2)/M(1)  4 identification
 *   ICMP: 0 type  1 code  4 echo id  |  errors: 8 the offending packet's IP header and first L4 bytes
 * </pre>
 * Facts kept from nfqlb, including its oddities, so that a mixed fleet agrees on every packet:
 * <ul>
 *   <li>length fields are not checked against the bytes received; the bytes received are what counts;</li>
 *   <li>a port-carrying L4 header needs more than 4 bytes;</li>
 *   <li>fragment and echo ids are copied as raw network-order bytes; a first fragment's id is reported as
 *       those bytes read in (little-endian) host order;</li>
 *   <li>in an IPv6 first fragment the "ports" are read from the Fragment header itself;</li>
 *   <li>IPv6 extension headers other than Fragment are rejected.</li>
 * </ul>
 */
public final class KeyExtractor {

    /** IPv4 / IPv6 protocol numbers that matter here. */
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;
    static final int IPV6_HOP_BY_HOP = 0;
    static final int IPV6_ROUTING = 43;
    static final int IPV6_FRAGMENT = 44;
    static final int IPV6_AUTHENTICATION = 51;
    static final int IPV6_DESTINATION_OPTIONS = 60;
    static final int IPV6_MOBILITY = 135;
    static final int IPV6_HIP = 139;
    static final int IPV6_SHIM6 = 140;

    private static final int IPV4_HEADER = 20;
    private static final int IPV4_ID_OFFSET = 4;
    private static final int IPV4_FRAGMENT_OFFSET = 6;
    private static final int IPV4_PROTOCOL_OFFSET = 9;
    private static final int IPV4_SOURCE_OFFSET = 12;
    private static final int IPV4_DESTINATION_OFFSET = 16;
    private static final int IPV4_MORE_FRAGMENTS = 0x2000;
    private static final int IPV4_OFFSET_MASK = 0x1FFF;

    private static final int IPV6_HEADER = 40;
    private static final int IPV6_NEXT_HEADER_OFFSET = 6;
    private static final int IPV6_SOURCE_OFFSET = 8;
    private static final int IPV6_DESTINATION_OFFSET = 24;
    private static final int FRAGMENT_HEADER = 8;
    private static final int FRAGMENT_ID_OFFSET = 4;

    private static final int ICMP_HEADER = 8;
    private static final int ICMP_ECHO_ID_OFFSET = 4;
    private static final int PORTS = 4;
    private static final int UDP_HEADER = 8;

    private KeyExtractor() {
    }

    /**
     * @param packet         holds the IP packet
     * @param offset         where it starts
     * @param length         how many bytes were received
     * @param ipv6           whether the packet is IPv6 (from the queue's hardware protocol)
     * @param udpEncapsulationPort the UDP port carrying encapsulated SCTP, or 0 for none
     * @param key            filled in
     * @return the {@link KeyResult} code, also in {@code key.result()}
     */
    public static int extract(byte[] packet, int offset, int length, boolean ipv6, int udpEncapsulationPort,
                              PacketKey key) {
        Arrays.fill(key.bytes, (byte) 0);
        key.fragmentId = 0;
        key.protocol = -1;
        key.transportOffset = 0;
        key.transportLength = 0;
        key.ipv6 = ipv6 ? 1 : 0;
        if (offset < 0 || length < 0 || offset > packet.length - length) {
            return key.result = KeyResult.REJECTED;
        }
        int result = ipv6 ? ipv6(packet, offset, length, udpEncapsulationPort, key)
                : ipv4(packet, offset, length, udpEncapsulationPort, key);
        if (result == KeyResult.REJECTED) {
            Arrays.fill(key.bytes, (byte) 0);
        }
        key.addressesWritten();
        return key.result = result;
    }

    private static int ipv4(byte[] p, int start, int length, int encapsulation, PacketKey key) {
        int headerLength = ipv4HeaderLength(p, start, length);
        if (headerLength < 0) {
            return KeyResult.REJECTED;
        }
        mapIpv4(p, start + IPV4_SOURCE_OFFSET, key.bytes, PacketKey.SOURCE_OFFSET);
        mapIpv4(p, start + IPV4_DESTINATION_OFFSET, key.bytes, PacketKey.DESTINATION_OFFSET);
        int fragment = u16(p, start + IPV4_FRAGMENT_OFFSET);
        int transport = start + headerLength;
        key.transportOffset = transport;
        key.transportLength = length - headerLength;
        if ((fragment & IPV4_OFFSET_MASK) != 0) {
            key.bytes[PacketKey.ID_OFFSET] = p[start + IPV4_ID_OFFSET];
            key.bytes[PacketKey.ID_OFFSET + 1] = p[start + IPV4_ID_OFFSET + 1];
            return KeyResult.LATER_FRAGMENT;
        }
        int flags = 0;
        if ((fragment & IPV4_MORE_FRAGMENTS) != 0) {
            flags = KeyResult.FIRST_FRAGMENT;
            key.fragmentId = (p[start + IPV4_ID_OFFSET] & 0xFF) | (p[start + IPV4_ID_OFFSET + 1] & 0xFF) << 8;
        }
        int protocol = p[start + IPV4_PROTOCOL_OFFSET] & 0xFF;
        int l4 = transport(p, transport, start + length, protocol, false, encapsulation, key);
        return l4 == KeyResult.REJECTED ? l4 : flags | l4;
    }

    private static int ipv6(byte[] p, int start, int length, int encapsulation, PacketKey key) {
        if (length < IPV6_HEADER || (p[start] & 0xF0) != 0x60) {
            return KeyResult.REJECTED;
        }
        System.arraycopy(p, start + IPV6_SOURCE_OFFSET, key.bytes, PacketKey.SOURCE_OFFSET, 16);
        System.arraycopy(p, start + IPV6_DESTINATION_OFFSET, key.bytes, PacketKey.DESTINATION_OFFSET, 16);
        int protocol = p[start + IPV6_NEXT_HEADER_OFFSET] & 0xFF;
        int transport = start + IPV6_HEADER;
        int end = start + length;
        key.transportOffset = transport;
        key.transportLength = end - transport;
        int flags = 0;
        if (protocol == IPV6_FRAGMENT) {
            if (end - transport < FRAGMENT_HEADER) {
                return KeyResult.REJECTED;
            }
            int id = transport + FRAGMENT_ID_OFFSET;
            if ((u16(p, transport + 2) >>> 3) != 0) {
                System.arraycopy(p, id, key.bytes, PacketKey.ID_OFFSET, 4);
                return KeyResult.LATER_FRAGMENT;
            }
            flags = KeyResult.FIRST_FRAGMENT;
            key.fragmentId = (p[id] & 0xFF) | (p[id + 1] & 0xFF) << 8 | (p[id + 2] & 0xFF) << 16
                    | (p[id + 3] & 0xFF) << 24;
            // nfqlb takes the protocol from the Fragment header but leaves its L4 pointer on that header.
            protocol = p[transport] & 0xFF;
        }
        if (isExtensionHeader(protocol)) {
            return KeyResult.REJECTED;
        }
        int l4 = transport(p, transport, end, protocol, true, encapsulation, key);
        return l4 == KeyResult.REJECTED ? l4 : flags | l4;
    }

    /** Fills the protocol-dependent tail of the key (and, for ICMP errors, swaps in the inner addresses). */
    private static int transport(byte[] p, int transport, int end, int protocol, boolean ipv6, int encapsulation,
                                 PacketKey key) {
        key.protocol = protocol;
        int left = end - transport;
        switch (protocol) {
            case TCP, SCTP:
                return ports(p, transport, left, protocol, key, false);
            case UDP:
                if (left > PORTS && encapsulation != 0 && u16(p, transport + 2) == encapsulation) {
                    if (left - UDP_HEADER <= PORTS) {
                        return KeyResult.REJECTED;
                    }
                    key.protocol = SCTP;
                    return ports(p, transport + UDP_HEADER, left - UDP_HEADER, SCTP, key, false)
                            | KeyResult.UDP_ENCAPSULATED_SCTP;
                }
                return ports(p, transport, left, protocol, key, false);
            case ICMP, ICMPV6:
                if ((protocol == ICMPV6) != ipv6) {
                    return addressesOnly(protocol, key);
                }
                return icmp(p, transport, end, protocol, ipv6, key);
            default:
                return addressesOnly(protocol, key);
        }
    }

    private static int ports(byte[] p, int at, int left, int protocol, PacketKey key, boolean swap) {
        if (left <= PORTS) {
            return KeyResult.REJECTED;
        }
        setProtocol(protocol, key);
        int source = swap ? PacketKey.DESTINATION_PORT_OFFSET : PacketKey.SOURCE_PORT_OFFSET;
        int destination = swap ? PacketKey.SOURCE_PORT_OFFSET : PacketKey.DESTINATION_PORT_OFFSET;
        key.bytes[source] = p[at];
        key.bytes[source + 1] = p[at + 1];
        key.bytes[destination] = p[at + 2];
        key.bytes[destination + 1] = p[at + 3];
        return 0;
    }

    private static int icmp(byte[] p, int at, int end, int protocol, boolean ipv6, PacketKey key) {
        if (end - at < ICMP_HEADER) {
            return KeyResult.REJECTED;
        }
        int type = p[at] & 0xFF;
        if (isEcho(type, ipv6)) {
            setProtocol(protocol, key);
            key.bytes[PacketKey.ID_OFFSET] = p[at + ICMP_ECHO_ID_OFFSET];
            key.bytes[PacketKey.ID_OFFSET + 1] = p[at + ICMP_ECHO_ID_OFFSET + 1];
            return KeyResult.ICMP_NO_INNER_PACKET;
        }
        if (!isError(type, ipv6)) {
            return addressesOnly(protocol, key);
        }
        int inner = at + ICMP_HEADER;
        return ipv6 ? innerIpv6(p, inner, end, key) : innerIpv4(p, inner, end, key);
    }

    /** The offending packet of an ICMP error: its addresses and ports, swapped, give the original flow. */
    private static int innerIpv4(byte[] p, int start, int end, PacketKey key) {
        int headerLength = ipv4HeaderLength(p, start, end - start);
        if (headerLength < 0) {
            return KeyResult.REJECTED;
        }
        mapIpv4(p, start + IPV4_DESTINATION_OFFSET, key.bytes, PacketKey.SOURCE_OFFSET);
        mapIpv4(p, start + IPV4_SOURCE_OFFSET, key.bytes, PacketKey.DESTINATION_OFFSET);
        return inner(p, start + headerLength, end, p[start + IPV4_PROTOCOL_OFFSET] & 0xFF, key);
    }

    /** @return the IPv4 header's length, or -1 unless version 4 with a length of 20 bytes or more that fits */
    private static int ipv4HeaderLength(byte[] p, int start, int available) {
        if (available < IPV4_HEADER || (p[start] & 0xF0) != 0x40) {
            return -1;
        }
        int headerLength = (p[start] & 0x0F) * 4;
        return headerLength < IPV4_HEADER || headerLength > available ? -1 : headerLength;
    }

    private static int innerIpv6(byte[] p, int start, int end, PacketKey key) {
        if (end - start < IPV6_HEADER || (p[start] & 0xF0) != 0x60) {
            return KeyResult.REJECTED;
        }
        System.arraycopy(p, start + IPV6_DESTINATION_OFFSET, key.bytes, PacketKey.SOURCE_OFFSET, 16);
        System.arraycopy(p, start + IPV6_SOURCE_OFFSET, key.bytes, PacketKey.DESTINATION_OFFSET, 16);
        return inner(p, start + IPV6_HEADER, end, p[start + IPV6_NEXT_HEADER_OFFSET] & 0xFF, key);
    }

    private static int inner(byte[] p, int transport, int end, int protocol, PacketKey key) {
        key.protocol = protocol;
        if (protocol == TCP || protocol == UDP || protocol == SCTP) {
            // An ICMP error quotes at least 8 bytes of the offending L4 header: the ports are always there.
            if (end - transport < PORTS) {
                return KeyResult.REJECTED;
            }
            ports(p, transport, PORTS + 1, protocol, key, true);
        } else {
            setProtocol(protocol, key);
        }
        return KeyResult.ICMP_INNER_PACKET;
    }

    private static int addressesOnly(int protocol, PacketKey key) {
        setProtocol(protocol, key);
        return KeyResult.ADDRESSES_ONLY;
    }

    private static void setProtocol(int protocol, PacketKey key) {
        // nfqlb stores the protocol as a 16-bit value in host (little-endian) order.
        key.bytes[PacketKey.PROTOCOL_OFFSET] = (byte) protocol;
        key.bytes[PacketKey.PROTOCOL_OFFSET + 1] = 0;
    }

    private static boolean isEcho(int type, boolean ipv6) {
        return ipv6 ? type == 128 || type == 129 : type == 8 || type == 0;
    }

    /**
     * IPv4 destination unreachable, source quench, redirect, time exceeded; IPv6 destination unreachable, packet
     * too big.
     */
    private static boolean isError(int type, boolean ipv6) {
        return ipv6 ? type == 1 || type == 2 : type == 3 || type == 4 || type == 5 || type == 11;
    }

    private static boolean isExtensionHeader(int protocol) {
        return protocol == IPV6_HOP_BY_HOP || protocol == IPV6_ROUTING || protocol == IPV6_FRAGMENT
                || protocol == IPV6_AUTHENTICATION || protocol == IPV6_DESTINATION_OPTIONS || protocol == IPV6_MOBILITY
                || protocol == IPV6_HIP || protocol == IPV6_SHIM6;
    }

    private static void mapIpv4(byte[] p, int from, byte[] key, int to) {
        key[to + 10] = (byte) 0xFF;
        key[to + 11] = (byte) 0xFF;
        key[to + 12] = p[from];
        key[to + 13] = p[from + 1];
        key[to + 14] = p[from + 2];
        key[to + 15] = p[from + 3];
    }

    static int u16(byte[] p, int index) {
        return ((p[index] & 0xFF) << 8) | (p[index + 1] & 0xFF);
    }
}
