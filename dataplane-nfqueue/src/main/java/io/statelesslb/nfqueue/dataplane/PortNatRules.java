package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.PortNatSpec;
import io.statelesslb.nfqueue.nftables.Expression;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two nf_tables rules of a stateless port translation, as nft writes them, and back:
 * <pre>
 *   port-nat-out: oifname "conduit-a-*" ip daddr 20.0.0.1 tcp dport 80 counter tcp dport set 8080
 *   port-nat-in:  iifname "conduit-a-*" ip saddr 20.0.0.1 tcp sport 8080 counter tcp sport set 80
 * </pre>
 * An address prefix is compared as nft compares it: a whole number of bytes loaded and compared, or, for a prefix
 * that ends within a byte, the whole address loaded and masked first. The port's rewrite updates the transport
 * checksum: the Internet checksum of TCP (at 16) and UDP (at 6), SCTP's CRC32c (at 8).
 */
final class PortNatRules {

    private static final int NFPROTO_IPV4 = 2;
    private static final int NFPROTO_IPV6 = 10;
    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;

    /** A translation's rule, which way it rewrites, and what the kernel counted on it. */
    record Counted(PortNatSpec nat, boolean towardsTargets, Expression.Counter counter) {
    }

    private PortNatRules() {
    }

    /** @return {@code oifname "P*" ip daddr VIP tcp dport PORT counter tcp dport set TARGET_PORT} */
    static List<Expression> towardsTargets(PortNatSpec nat) {
        return rule(nat, true);
    }

    /** @return {@code iifname "P*" ip saddr VIP tcp sport TARGET_PORT counter tcp sport set PORT} */
    static List<Expression> fromTargets(PortNatSpec nat) {
        return rule(nat, false);
    }

    private static List<Expression> rule(PortNatSpec nat, boolean towardsTargets) {
        List<Expression> rule = new ArrayList<>();
        rule.add(new Expression.Meta(towardsTargets ? Expression.Meta.OIFNAME : Expression.Meta.IIFNAME));
        rule.add(Expression.Cmp.interfacePattern(nat.interfacePattern()));
        Cidr vip = nat.vip();
        boolean v4 = vip.family() == Family.IPV4;
        rule.add(new Expression.Meta(Expression.Meta.NFPROTO));
        rule.add(new Expression.Cmp(true, new byte[] {(byte) (v4 ? NFPROTO_IPV4 : NFPROTO_IPV6)}));
        // The source address is at 12 of an IPv4 header and 8 of an IPv6 one; the destination at 16 and 24.
        int offset = v4 ? (towardsTargets ? 16 : 12) : (towardsTargets ? 24 : 8);
        byte[] address = vip.address().bytes();
        int prefix = vip.prefixLength();
        if (prefix % 8 == 0) {
            rule.add(Expression.Payload.network(offset, prefix / 8));
            rule.add(new Expression.Cmp(true, Arrays.copyOf(address, prefix / 8)));
        } else {
            rule.add(Expression.Payload.network(offset, address.length));
            rule.add(new Expression.Bitwise(mask(address.length, prefix)));
            rule.add(new Expression.Cmp(true, address));
        }
        rule.add(new Expression.Meta(Expression.Meta.L4PROTO));
        rule.add(new Expression.Cmp(true, new byte[] {(byte) nat.protocol().number()}));
        int matched = towardsTargets ? nat.port() : nat.targetPort();
        int written = towardsTargets ? nat.targetPort() : nat.port();
        int field = towardsTargets ? DESTINATION_PORT : SOURCE_PORT;
        rule.add(Expression.Payload.transport(field, 2));
        rule.add(new Expression.Cmp(true, port(matched)));
        rule.add(Expression.Counter.ZERO);
        rule.add(new Expression.Immediate(port(written)));
        rule.add(new Expression.PayloadWrite(2, field, 2, checksumType(nat.protocol()),
                checksumOffset(nat.protocol())));
        return List.copyOf(rule);
    }

    /**
     * @param shape a rule's expressions, counters zeroed
     * @return the translation the rule is one half of, if it is exactly as stateless-lb writes it
     */
    static Option<PortNatSpec> read(List<Expression> shape, boolean towardsTargets) {
        if (shape.size() < 13 || !(shape.get(1) instanceof Expression.Cmp name)
                || !(shape.get(3) instanceof Expression.Cmp family) || family.data().length != 1) {
            return Option.none();
        }
        Family ipFamily = family.data()[0] == NFPROTO_IPV4 ? Family.IPV4 : Family.IPV6;
        int width = ipFamily == Family.IPV4 ? 4 : 16;
        boolean masked = shape.get(5) instanceof Expression.Bitwise;
        int at = masked ? 6 : 5;
        if (!(shape.get(at) instanceof Expression.Cmp address) || !(shape.get(at + 2) instanceof Expression.Cmp l4)
                || l4.data().length != 1 || !(shape.get(at + 4) instanceof Expression.Cmp matched)
                || !(shape.get(at + 6) instanceof Expression.Immediate written) || matched.data().length != 2
                || written.value().length != 2 || address.data().length > width) {
            return Option.none();
        }
        int prefix = masked && shape.get(5) instanceof Expression.Bitwise bitwise ? bits(bitwise.mask())
                : address.data().length * 8;
        Option<Protocol> protocol = Option.ofOptional(Arrays.stream(Protocol.values())
                .filter(p -> p.number() == Byte.toUnsignedInt(l4.data()[0])).findFirst());
        if (protocol.isEmpty() || prefix > width * 8) {
            return Option.none();
        }
        Cidr vip = new Cidr(IpAddress.fromBytes(Arrays.copyOf(address.data(), width)), prefix);
        int matchedPort = port(matched.data());
        int writtenPort = port(written.value());
        PortNatSpec nat = new PortNatSpec(name.interfacePattern(), vip, protocol.get(),
                towardsTargets ? matchedPort : writtenPort, towardsTargets ? writtenPort : matchedPort);
        // Whatever else the rule holds must be as written: re-encode and compare.
        return rule(nat, towardsTargets).equals(shape) ? Option.some(nat) : Option.none();
    }

    private static int checksumType(Protocol protocol) {
        return protocol == Protocol.SCTP ? Expression.PayloadWrite.CSUM_SCTP : Expression.PayloadWrite.CSUM_INET;
    }

    private static int checksumOffset(Protocol protocol) {
        return switch (protocol) {
            case TCP -> 16;
            case UDP -> 6;
            case SCTP -> 8;
        };
    }

    private static byte[] port(int port) {
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    private static int port(byte[] bytes) {
        return (bytes[0] & 0xFF) << 8 | (bytes[1] & 0xFF);
    }

    /** @return {@code prefix} leading one bits over {@code length} bytes */
    private static byte[] mask(int length, int prefix) {
        byte[] mask = new byte[length];
        for (int bit = 0; bit < prefix; bit++) {
            mask[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return mask;
    }

    private static int bits(byte[] mask) {
        int bits = 0;
        for (byte b : mask) {
            bits += Integer.bitCount(b & 0xFF);
        }
        return bits;
    }

}
