package io.statelesslb.daemon.trace;

import io.statelesslb.daemon.http.FieldProblem;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Builds the packet a {@link TraceRequest} describes, or names every field that does not fit. */
public final class TracePackets {

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int SCTP_HEADER = 12;
    private static final int ICMP_ECHO = 8;
    private static final int TCP_SYN = 0x02;
    private static final int ICMPV4_NUMBER = 1;
    private static final int ICMPV6_NUMBER = 58;
    private static final String ICMP = "icmp";

    private TracePackets() {
    }

    /** @return the packet's bytes from its IP header on, or every problem with the request */
    public static Either<List<FieldProblem>, byte[]> build(TraceRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        if (request.packet() != null) {
            if (request.protocol() != null || request.source() != null || request.destination() != null
                    || request.sourcePort() != null || request.destinationPort() != null) {
                problems.add(new FieldProblem("packet", "conflict", "packet is given together with 5-tuple fields"
                        + " (expected: either packet or protocol, source, destination and ports)"));
                return Either.left(problems);
            }
            try {
                byte[] bytes = HexFormat.of().parseHex(request.packet().replaceAll("\\s", ""));
                if (bytes.length == 0) {
                    problems.add(new FieldProblem("packet", "malformed", "packet is empty (expected: hex bytes from"
                            + " the IP header on)"));
                }
                return problems.isEmpty() ? Either.right(bytes) : Either.left(problems);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("packet", "malformed", "packet=" + abbreviate(request.packet())
                        + " (expected: an even number of hex digits, the packet from its IP header on)"));
                return Either.left(problems);
            }
        }
        Option<String> protocol = protocol(request.protocol(), problems);
        Option<IpAddress> source = address("source", request.source(), problems);
        Option<IpAddress> destination = address("destination", request.destination(), problems);
        boolean icmp = protocol.exists(p -> p.startsWith(ICMP));
        int sourcePort = port("sourcePort", request.sourcePort(), icmp ? 1 : 0, problems);
        int destinationPort = port("destinationPort", request.destinationPort(), icmp ? 0 : -1, problems);
        if (source.isDefined() && destination.isDefined() && source.get().family() != destination.get().family()) {
            problems.add(new FieldProblem("destination", "conflict", "destination=" + request.destination()
                    + " (expected: an address of the same family as source " + request.source() + ")"));
        }
        if (!problems.isEmpty()) {
            return Either.left(problems);
        }
        return Either.right(packet(protocol.get(), source.get(), destination.get(), sourcePort, destinationPort));
    }

    /** @return the protocol's lower-case name: a {@link Protocol} label, or icmp / icmpv6 (echo requests) */
    private static Option<String> protocol(String text, List<FieldProblem> problems) {
        String name = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (Protocol.parse(name).isRight() || name.equals(ICMP) || name.equals(ICMP + "v6")) {
            return Option.of(name);
        }
        problems.add(new FieldProblem("protocol", text == null ? "missing" : "malformed", "protocol=" + text
                + " (expected: tcp, udp, sctp, icmp or icmpv6)"));
        return Option.none();
    }

    private static Option<IpAddress> address(String field, String text, List<FieldProblem> problems) {
        Option<IpAddress> address = text == null ? Option.none() : IpAddress.parse(text).toOption();
        if (address.isEmpty()) {
            problems.add(new FieldProblem(field, text == null ? "missing" : "malformed", field + "=" + text
                    + " (expected: an IPv4 or IPv6 address)"));
        }
        return address;
    }

    /** @param fallback the value when absent, or -1 when the field is required */
    private static int port(String field, Integer value, int fallback, List<FieldProblem> problems) {
        if (value == null) {
            if (fallback < 0) {
                problems.add(new FieldProblem(field, "missing", field + " is required (expected: 1..65535)"));
            }
            return Math.max(fallback, 0);
        }
        if (value < 0 || value > 65535) {
            problems.add(new FieldProblem(field, "out_of_range", field + "=" + value + " (expected: 0..65535)"));
        }
        return value;
    }

    private static byte[] packet(String protocolName, IpAddress source, IpAddress destination, int sourcePort,
                                 int destinationPort) {
        boolean v4 = source.family() == Family.IPV4;
        int ipHeader = v4 ? IPV4_HEADER : IPV6_HEADER;
        Protocol protocol = Protocol.parse(protocolName).getOrNull();
        int l4Header = protocol == null ? ICMP_ECHO
                : protocol == Protocol.TCP ? TCP_HEADER : protocol == Protocol.UDP ? UDP_HEADER : SCTP_HEADER;
        // An echo request of the packet's own family, whichever of icmp and icmpv6 was named.
        int protocolNumber = protocol != null ? protocol.number() : v4 ? ICMPV4_NUMBER : ICMPV6_NUMBER;
        byte[] p = new byte[ipHeader + l4Header];
        if (v4) {
            p[0] = 0x45;
            putShort(p, 2, p.length);
            p[8] = 64;
            p[9] = (byte) protocolNumber;
            putInt(p, 12, source.ipv4Bits());
            putInt(p, 16, destination.ipv4Bits());
        } else {
            p[0] = 0x60;
            putShort(p, 4, l4Header);
            p[6] = (byte) protocolNumber;
            p[7] = 64;
            putLong(p, 8, source.high());
            putLong(p, 16, source.low());
            putLong(p, 24, destination.high());
            putLong(p, 32, destination.low());
        }
        int l4 = ipHeader;
        if (protocol == null) {
            p[l4] = (byte) (v4 ? 8 : 128);
            putShort(p, l4 + 4, sourcePort);
        } else {
            putShort(p, l4, sourcePort);
            putShort(p, l4 + 2, destinationPort);
            if (protocol == Protocol.TCP) {
                p[l4 + 12] = 0x50;
                p[l4 + 13] = TCP_SYN;
            } else if (protocol == Protocol.UDP) {
                putShort(p, l4 + 4, UDP_HEADER);
            }
        }
        return p;
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
