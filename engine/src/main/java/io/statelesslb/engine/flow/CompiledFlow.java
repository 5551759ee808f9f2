package io.statelesslb.engine.flow;

import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import java.util.List;

/**
 * One flow turned into primitive arrays for the packet path: prefixes as (high, low, maskHigh, maskLow) over the
 * IPv6 form of addresses (IPv4 as {@code ::ffff:a.b.c.d}, as in the key), port ranges as pairs, byte matches as
 * parallel arrays. Immutable.
 */
final class CompiledFlow {

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int SCTP = 132;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int IPV6_FRAGMENT = 44;
    private static final int UDP_HEADER = 8;

    final FlowRule rule;
    final int index;
    final int priority;
    private final int protocolMask;
    private final long[] destinations;
    private final long[] sources;
    private final int[] destinationPorts;
    private final int[] sourcePorts;
    private final int[] matchProtocol;
    private final int[] matchOffset;
    private final int[] matchWidth;
    private final long[] matchMask;
    private final long[] matchValue;

    CompiledFlow(FlowRule rule, int index) {
        this.rule = rule;
        this.index = index;
        this.priority = rule.priority();
        int mask = 0;
        for (int protocol : rule.protocols()) {
            mask |= protocolBit(protocol);
        }
        this.protocolMask = mask;
        this.destinations = prefixes(rule.destinations());
        this.sources = prefixes(rule.sources());
        this.destinationPorts = ranges(rule.destinationPorts());
        this.sourcePorts = ranges(rule.sourcePorts());
        int matches = rule.byteMatches().size();
        this.matchProtocol = new int[matches];
        this.matchOffset = new int[matches];
        this.matchWidth = new int[matches];
        this.matchMask = new long[matches];
        this.matchValue = new long[matches];
        for (int i = 0; i < matches; i++) {
            ByteComparison match = rule.byteMatches().get(i);
            matchProtocol[i] = match.protocol();
            matchOffset[i] = match.offset();
            matchWidth[i] = match.width();
            matchMask[i] = match.mask();
            matchValue[i] = match.value();
        }
    }

    /** @return a bit per L4 protocol that flows may name (tcp, udp, sctp); 0 for any other */
    static int protocolBit(int protocol) {
        switch (protocol) {
            case 6:
                return 1;
            case 17:
                return 2;
            case 132:
                return 4;
            default:
                return 0;
        }
    }

    /** @return whether packets of protocol class 0 tcp, 1 udp, 2 sctp, 3 other can match this flow */
    boolean admitsProtocolClass(int protocolClass) {
        return protocolMask == 0 || (protocolClass < 3 && (protocolMask & (1 << protocolClass)) != 0);
    }

    /** @return the destination port ranges as (first, last) pairs; empty for any port */
    int[] destinationPortRanges() {
        return destinationPorts;
    }

    /** @return whether this flow accepts destination port {@code port} */
    boolean coversDestinationPort(int port) {
        return inRanges(destinationPorts, port);
    }

    /** @return whether the packet whose key is {@code key} belongs to this flow */
    boolean matches(byte[] packet, int packetOffset, int packetLength, PacketKey key, boolean promiscuousPing) {
        return mismatch(packet, packetOffset, packetLength, key, promiscuousPing) == Mismatch.NONE;
    }

    /** @return the first criterion the packet fails, {@link Mismatch#NONE} when it belongs to this flow */
    Mismatch mismatch(byte[] packet, int packetOffset, int packetLength, PacketKey key, boolean promiscuousPing) {
        if (!inAny(destinations, key.destinationHigh(), key.destinationLow())) {
            return Mismatch.DESTINATION;
        }
        if (!inAny(sources, key.sourceHigh(), key.sourceLow())) {
            return Mismatch.SOURCE;
        }
        // With promiscuous ping an echo belongs to a flow by its addresses alone.
        if (promiscuousPing && (key.result() & KeyResult.ICMP_NO_INNER_PACKET) != 0) {
            return Mismatch.NONE;
        }
        if (protocolMask != 0 && (protocolMask & protocolBit(key.protocol())) == 0) {
            return Mismatch.PROTOCOL;
        }
        if (!inRanges(destinationPorts, key.destinationPort())) {
            return Mismatch.DESTINATION_PORT;
        }
        if (!inRanges(sourcePorts, key.sourcePort())) {
            return Mismatch.SOURCE_PORT;
        }
        return matchProtocol.length == 0 || byteMatches(packet, packetOffset, packetLength, key)
                ? Mismatch.NONE : Mismatch.BYTE_MATCH;
    }

    /**
     * nfqlb's byte-match rules: the outer L4 header must be found with its whole fixed header and at least one
     * more byte (nfqlb's bounds check is strict), or the flow does not match; an IPv6 fragment never matches; UDP
     * carrying encapsulated SCTP is matched on the SCTP header; statements for another protocol are ignored.
     */
    private boolean byteMatches(byte[] packet, int start, int length, PacketKey key) {
        int end = start + length;
        int header;
        int protocol;
        if (key.ipv6()) {
            if (length <= IPV6_HEADER) {
                return false;
            }
            protocol = packet[start + 6] & 0xFF;
            header = start + IPV6_HEADER;
            if (protocol == IPV6_FRAGMENT) {
                return false;
            }
        } else {
            if (length <= IPV4_HEADER) {
                return false;
            }
            protocol = packet[start + 9] & 0xFF;
            header = start + (packet[start] & 0x0F) * 4;
        }
        if (header + fixedHeaderLength(protocol) >= end) {
            return false;
        }
        if (protocol == UDP && key.protocol() == SCTP) {
            header += UDP_HEADER;
            protocol = SCTP;
            if (header + fixedHeaderLength(SCTP) >= end) {
                return false;
            }
        }
        for (int i = 0; i < matchProtocol.length; i++) {
            if (matchProtocol[i] == protocol && !matchesAt(i, packet, header)) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesAt(int i, byte[] packet, int header) {
        long value = 0;
        for (int b = 0; b < matchWidth[i]; b++) {
            value = (value << 8) | (packet[header + matchOffset[i] + b] & 0xFF);
        }
        // As nfqlb: a mask of 0 means no mask.
        if (matchMask[i] != 0) {
            value &= matchMask[i];
        }
        return value == matchValue[i];
    }

    private static int fixedHeaderLength(int protocol) {
        switch (protocol) {
            case TCP:
                return 20;
            case UDP:
                return 8;
            case SCTP:
                return 12;
            default:
                return 0;
        }
    }

    private static boolean inAny(long[] prefixes, long high, long low) {
        if (prefixes.length == 0) {
            return true;
        }
        for (int i = 0; i < prefixes.length; i += 4) {
            if ((high & prefixes[i + 2]) == prefixes[i] && (low & prefixes[i + 3]) == prefixes[i + 1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRanges(int[] ranges, int port) {
        if (ranges.length == 0) {
            return true;
        }
        for (int i = 0; i < ranges.length; i += 2) {
            if (port >= ranges[i] && port <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** @return each prefix as (high, low, highMask, lowMask), the address masked */
    private static long[] prefixes(List<Prefix> prefixes) {
        long[] values = new long[4 * prefixes.size()];
        for (int i = 0; i < prefixes.size(); i++) {
            Prefix prefix = prefixes.get(i);
            values[4 * i] = prefix.high() & prefix.highMask();
            values[4 * i + 1] = prefix.low() & prefix.lowMask();
            values[4 * i + 2] = prefix.highMask();
            values[4 * i + 3] = prefix.lowMask();
        }
        return values;
    }

    /** @return each range as (first, last) */
    private static int[] ranges(List<PortInterval> ranges) {
        int[] values = new int[2 * ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            values[2 * i] = ranges.get(i).first();
            values[2 * i + 1] = ranges.get(i).last();
        }
        return values;
    }
}
