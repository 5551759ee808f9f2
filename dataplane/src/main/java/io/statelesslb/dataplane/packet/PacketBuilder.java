package io.statelesslb.dataplane.packet;

import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.decide.ProblemKind;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The one way packets are made: the first packet of a connection from its 5-tuple (a TCP SYN, a UDP datagram, an
 * SCTP common header, an ICMP echo request), an ICMP error quoting another packet, or bytes given in hex. Traces,
 * the demo's generated traffic and the tests all build their packets here.
 *
 * <pre>
 *   IPv4: 45 00 LEN LEN | 00 00 00 00 | 40 PROTO 00 00 | SOURCE (4) | DESTINATION (4) | L4 header
 *   IPv6: 60 00 00 00 | PAYLOAD (2) PROTO 40 | SOURCE (16) | DESTINATION (16) | L4 header
 * </pre>
 */
public final class PacketBuilder {

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int SCTP_HEADER = 12;
    private static final int ICMP_HEADER = 8;
    private static final int TCP_SYN = 0x02;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int ICMPV6_ECHO_REQUEST = 128;
    private static final int ICMP_DEST_UNREACHABLE = 3;
    private static final int ICMP_FRAGMENTATION_NEEDED = 4;
    /** What an ICMP error quotes of the packet it is about: its IP header and the first 8 bytes of its payload. */
    private static final int QUOTED_BYTES = IPV4_HEADER + 8;
    private static final String ICMP = "icmp";
    private static final String ICMPV6 = "icmpv6";

    private PacketBuilder() {
    }

    /**
     * The packet a request describes: either {@code hex} (the bytes from the IP header on), or a 5-tuple.
     *
     * @param protocol tcp, udp, sctp, icmp or icmpv6 (an echo request of the addresses' family, either way)
     * @param sourcePort for ICMP, the echo identifier (default 1)
     * @return the packet, or every problem with the request, each naming its field
     */
    public static Either<List<Problem>, byte[]> build(String hex, String protocol, String source, Integer sourcePort,
                                                      String destination, Integer destinationPort) {
        List<Problem> problems = new ArrayList<>();
        if (hex != null) {
            if (protocol != null || source != null || destination != null || sourcePort != null
                    || destinationPort != null) {
                problems.add(new Problem(ProblemKind.CONFLICT, "packet", "packet is given together with 5-tuple"
                        + " fields (expected: either packet or protocol, source, destination and ports)"));
                return Either.left(problems);
            }
            return fromHex(hex);
        }
        Option<String> name = protocol(protocol, problems);
        Option<IpAddress> from = address("source", source, problems);
        Option<IpAddress> to = address("destination", destination, problems);
        boolean icmp = name.exists(p -> p.startsWith(ICMP));
        int fromPort = port("sourcePort", sourcePort, icmp ? 1 : 0, problems);
        int toPort = port("destinationPort", destinationPort, icmp ? 0 : -1, problems);
        if (from.isDefined() && to.isDefined() && from.get().family() != to.get().family()) {
            problems.add(new Problem(ProblemKind.CONFLICT, "destination", "destination=" + destination
                    + " (expected: an address of the same family as source " + source + ")"));
        }
        if (!problems.isEmpty()) {
            return Either.left(problems);
        }
        Option<Protocol> l4 = Protocol.parse(name.get()).toOption();
        return Either.right(l4.isDefined() ? first(l4.get(), from.get(), fromPort, to.get(), toPort)
                : echoRequest(from.get(), to.get(), fromPort));
    }

    /** @return the bytes of {@code hex} (blanks ignored), or why they are not a packet */
    public static Either<List<Problem>, byte[]> fromHex(String hex) {
        try {
            byte[] bytes = HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
            return bytes.length > 0 ? Either.right(bytes) : Either.left(List.of(new Problem(ProblemKind.MALFORMED,
                    "packet", "packet is empty (expected: hex bytes from the IP header on)")));
        } catch (IllegalArgumentException e) {
            return Either.left(List.of(new Problem(ProblemKind.MALFORMED, "packet", "packet=" + abbreviate(hex)
                    + " (expected: an even number of hex digits, the packet from its IP header on)")));
        }
    }

    /**
     * @return the first packet of a connection: a TCP SYN, a UDP datagram with no payload, or an SCTP common header
     */
    public static byte[] first(Protocol protocol, IpAddress source, int sourcePort, IpAddress destination,
                               int destinationPort) {
        int l4Header = protocol == Protocol.TCP ? TCP_HEADER : protocol == Protocol.UDP ? UDP_HEADER : SCTP_HEADER;
        byte[] p = ip(source, destination, protocol.number(), l4Header);
        int l4 = headerLength(source);
        putShort(p, l4, sourcePort);
        putShort(p, l4 + 2, destinationPort);
        if (protocol == Protocol.TCP) {
            p[l4 + 12] = 0x50; // data offset: 5 words
            p[l4 + 13] = TCP_SYN;
        } else if (protocol == Protocol.UDP) {
            putShort(p, l4 + 4, UDP_HEADER);
        }
        return p;
    }

    /** @return an ICMP (or ICMPv6) echo request with identifier {@code id} */
    public static byte[] echoRequest(IpAddress source, IpAddress destination, int id) {
        boolean v4 = source.family() == Family.IPV4;
        byte[] p = ip(source, destination, v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6, ICMP_HEADER);
        int l4 = headerLength(source);
        p[l4] = (byte) (v4 ? ICMP_ECHO_REQUEST : ICMPV6_ECHO_REQUEST);
        putShort(p, l4 + 4, id);
        return p;
    }

    /**
     * @return an ICMP "fragmentation needed" (MTU 1400) from {@code router} to {@code destination}, quoting the
     *         IPv4 header and first 8 payload bytes of {@code quoted}
     */
    public static byte[] fragmentationNeeded(IpAddress router, IpAddress destination, byte[] quoted) {
        byte[] p = ip(router, destination, IPPROTO_ICMP, ICMP_HEADER + QUOTED_BYTES);
        p[IPV4_HEADER] = ICMP_DEST_UNREACHABLE;
        p[IPV4_HEADER + 1] = ICMP_FRAGMENTATION_NEEDED;
        putShort(p, IPV4_HEADER + 6, 1400); // the next hop's MTU
        System.arraycopy(quoted, 0, p, IPV4_HEADER + ICMP_HEADER, QUOTED_BYTES);
        return p;
    }

    /** @return an IP packet of {@code l4Bytes} zeroed payload bytes, its header filled in */
    private static byte[] ip(IpAddress source, IpAddress destination, int protocol, int l4Bytes) {
        boolean v4 = source.family() == Family.IPV4;
        byte[] p = new byte[headerLength(source) + l4Bytes];
        if (v4) {
            p[0] = 0x45;
            putShort(p, 2, p.length);
            p[8] = 64; // TTL
            p[9] = (byte) protocol;
            putInt(p, 12, source.ipv4Bits());
            putInt(p, 16, destination.ipv4Bits());
        } else {
            p[0] = 0x60;
            putShort(p, 4, l4Bytes);
            p[6] = (byte) protocol;
            p[7] = 64; // hop limit
            putLong(p, 8, source.high());
            putLong(p, 16, source.low());
            putLong(p, 24, destination.high());
            putLong(p, 32, destination.low());
        }
        return p;
    }

    private static int headerLength(IpAddress address) {
        return address.family() == Family.IPV4 ? IPV4_HEADER : IPV6_HEADER;
    }

    /** @return the protocol's lower-case name: a {@link Protocol} label, or icmp / icmpv6 (echo requests) */
    private static Option<String> protocol(String text, List<Problem> problems) {
        String name = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (Protocol.parse(name).isRight() || name.equals(ICMP) || name.equals(ICMPV6)) {
            return Option.of(name);
        }
        problems.add(new Problem(text == null ? ProblemKind.MISSING : ProblemKind.MALFORMED, "protocol", "protocol="
                + text + " (expected: tcp, udp, sctp, icmp or icmpv6)"));
        return Option.none();
    }

    private static Option<IpAddress> address(String field, String text, List<Problem> problems) {
        Option<IpAddress> address = text == null ? Option.none() : IpAddress.parse(text).toOption();
        if (address.isEmpty()) {
            problems.add(new Problem(text == null ? ProblemKind.MISSING : ProblemKind.MALFORMED, field, field + "="
                    + text + " (expected: an IPv4 or IPv6 address)"));
        }
        return address;
    }

    /** @param fallback the value when absent, or -1 when the field is required */
    private static int port(String field, Integer value, int fallback, List<Problem> problems) {
        if (value == null) {
            if (fallback < 0) {
                problems.add(new Problem(ProblemKind.MISSING, field, field + " is required (expected: 1..65535)"));
            }
            return Math.max(fallback, 0);
        }
        if (value < 0 || value > 65535) {
            problems.add(new Problem(ProblemKind.OUT_OF_RANGE, field, field + "=" + value + " (expected: 0..65535)"));
        }
        return value;
    }

    private static void putShort(byte[] p, int at, int value) {
        p[at] = (byte) (value >>> 8);
        p[at + 1] = (byte) value;
    }

    private static void putInt(byte[] p, int at, int value) {
        putShort(p, at, value >>> 16);
        putShort(p, at + 2, value);
    }

    private static void putLong(byte[] p, int at, long value) {
        putInt(p, at, (int) (value >>> 32));
        putInt(p, at + 4, (int) value);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
