package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One expression of an nf_tables rule, as {@code nft --debug=netlink} lists them ({@code [ meta load nfproto =>
 * reg 1 ]}): the kernel's expression name and its {@code NFTA_*} data, encoded and decoded alike. Only the
 * expressions stateless-lb's rules use are here; any other is read as {@link Other}, so a rule someone else changed
 * does not pass for one of ours.
 */
public sealed interface Expression {

    /** The register expressions load into and compare from ({@code NFT_REG_1}); 0 is the verdict register. */
    int REG_1 = 1;
    /** {@code NFT_REG_VERDICT}. */
    int REG_VERDICT = 0;

    /** @return the kernel's name of the expression */
    String name();

    /** Writes the expression's {@code NFTA_EXPR_DATA} contents. */
    void encodeData(MessageWriter message);

    /** @return whether the expression carries data ({@code notrack} does not) */
    default boolean hasData() {
        return true;
    }

    /** @return the expression without what the kernel keeps changing or assigns (counts, a set's id in a batch) */
    default Expression shape() {
        return this;
    }

    /**
     * @param name the kernel's name of the expression ({@code NFTA_EXPR_NAME})
     * @param data its {@code NFTA_EXPR_DATA} attributes, or null when it has none
     * @return the expression, or {@link Other} for a kind stateless-lb does not write
     */
    static Expression decode(String name, AttributeReader data) {
        Map<Integer, AttributeReader> attributes = new HashMap<>();
        Map<Integer, byte[]> values = new HashMap<>();
        if (data != null) {
            while (data.next()) {
                values.put(data.type(), data.bytes());
                attributes.put(data.type(), data.nested());
            }
        }
        return switch (name) {
            case "meta" -> new Meta(readBe32(values.get(2)));
            case "cmp" -> new Cmp(readBe32(values.get(2)) == 0, value(attributes.get(3)));
            case "payload" -> payload(values);
            case "lookup" -> new Lookup(readString(values.get(1)), 0);
            case "counter" -> new Counter(readBe64(values.get(2)), readBe64(values.get(1)));
            case "queue" -> new Queue(readBe16(values.get(1)), readBe16(values.get(2)), readBe16(values.get(3)));
            case "target" -> xtables(readString(values.get(1)), values.get(3));
            case "notrack" -> new Notrack();
            case "ct" -> readBe32(values.get(2)) == 0 ? new CtState() : new Other(name);
            case "bitwise" -> new Bitwise(value(attributes.get(4)));
            case "immediate" -> readBe32(values.get(1)) == REG_VERDICT ? verdict(attributes.get(2))
                    : new Immediate(value(attributes.get(2)));
            default -> new Other(name);
        };
    }
    /** {@code [ meta load KEY => reg 1 ]}. */
    record Meta(int key) implements Expression {
        /** {@code NFT_META_IIFNAME}: the input interface's name. */
        public static final int IIFNAME = 6;
        /** {@code NFT_META_OIFNAME}: the output interface's name. */
        public static final int OIFNAME = 7;
        /** {@code NFT_META_NFPROTO}: the packet's family (ipv4 2, ipv6 10). */
        public static final int NFPROTO = 15;
        /** {@code NFT_META_L4PROTO}: the transport protocol. */
        public static final int L4PROTO = 16;

        @Override
        public String name() {
            return "meta";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(2, key); // NFTA_META_KEY
            message.attributeBigEndian(1, REG_1); // NFTA_META_DREG
        }
    }

    /** {@code [ cmp eq|neq reg 1 DATA ]}. */
    record Cmp(boolean equal, byte[] data) implements Expression {
        @Override
        public String name() {
            return "cmp";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(1, REG_1); // NFTA_CMP_SREG
            message.attributeBigEndian(2, equal ? 0 : 1); // NFTA_CMP_OP: NFT_CMP_EQ, NFT_CMP_NEQ
            message.begin(3 | Netlink.NLA_F_NESTED).attribute(1, data).end(); // NFTA_CMP_DATA { NFTA_DATA_VALUE }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cmp cmp && cmp.equal == equal && Arrays.equals(cmp.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + (equal ? 1 : 0);
        }

        /** @return a comparison with the prefix of an interface name ({@code iifname "conduit-a-*"}) */
        public static Cmp interfacePrefix(String prefix) {
            return new Cmp(true, prefix.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @return a comparison with an interface name as nft writes a pattern: {@code "conduit-a-*"} compares the
         *         prefix, a name without {@code *} the whole name with its terminating NUL
         */
        public static Cmp interfacePattern(String pattern) {
            return interfacePrefix(pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1)
                    : pattern + "\0");
        }

        /** @return the interface pattern this comparison stands for, the reverse of {@link #interfacePattern} */
        public String interfacePattern() {
            int nul = 0;
            while (nul < data.length && data[nul] != 0) {
                nul++;
            }
            String name = new String(data, 0, nul, StandardCharsets.UTF_8);
            return nul < data.length ? name : name + "*";
        }
    }

    /** {@code [ payload load LEN b @ network|transport header + OFFSET => reg 1 ]}. */
    record Payload(int base, int offset, int length) implements Expression {
        /** {@code NFT_PAYLOAD_NETWORK_HEADER}. */
        static final int NETWORK_HEADER = 1;
        /** {@code NFT_PAYLOAD_TRANSPORT_HEADER}. */
        static final int TRANSPORT_HEADER = 2;

        /** @return a load from the IP header */
        public static Payload network(int offset, int length) {
            return new Payload(NETWORK_HEADER, offset, length);
        }

        /** @return a load from the transport (TCP, UDP, SCTP) header */
        public static Payload transport(int offset, int length) {
            return new Payload(TRANSPORT_HEADER, offset, length);
        }

        @Override
        public String name() {
            return "payload";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(1, REG_1); // NFTA_PAYLOAD_DREG
            message.attributeBigEndian(2, base); // NFTA_PAYLOAD_BASE
            message.attributeBigEndian(3, offset); // NFTA_PAYLOAD_OFFSET
            message.attributeBigEndian(4, length); // NFTA_PAYLOAD_LEN
        }
    }

    /**
     * {@code [ payload write reg 1 => LEN b @ transport header + OFFSET csum_type T csum_off C ]}: rewrites header
     * bytes, and updates the checksum at {@code checksumOffset} of the same header incrementally.
     *
     * @param checksumType {@link #CSUM_INET} (TCP, UDP) or {@link #CSUM_SCTP} (SCTP's CRC32c)
     */
    record PayloadWrite(int base, int offset, int length, int checksumType, int checksumOffset)
            implements Expression {
        /** {@code NFT_PAYLOAD_CSUM_INET}: the Internet checksum (RFC 1071). */
        public static final int CSUM_INET = 1;
        /** {@code NFT_PAYLOAD_CSUM_SCTP}: SCTP's CRC32c. */
        public static final int CSUM_SCTP = 2;

        @Override
        public String name() {
            return "payload";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(5, REG_1); // NFTA_PAYLOAD_SREG
            message.attributeBigEndian(2, base); // NFTA_PAYLOAD_BASE
            message.attributeBigEndian(3, offset); // NFTA_PAYLOAD_OFFSET
            message.attributeBigEndian(4, length); // NFTA_PAYLOAD_LEN
            message.attributeBigEndian(6, checksumType); // NFTA_PAYLOAD_CSUM_TYPE
            message.attributeBigEndian(7, checksumOffset); // NFTA_PAYLOAD_CSUM_OFFSET
        }
    }

    /** {@code [ immediate reg 1 VALUE ]}: a value into the register, for a payload write to take. */
    record Immediate(byte[] value) implements Expression {
        @Override
        public String name() {
            return "immediate";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(1, REG_1); // NFTA_IMMEDIATE_DREG
            message.begin(2 | Netlink.NLA_F_NESTED).attribute(1, value).end(); // NFTA_IMMEDIATE_DATA { VALUE }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Immediate immediate && Arrays.equals(immediate.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }
    }

    /** {@code [ lookup reg 1 set SET ]}; the id names a set added in the same batch (0 when read back). */
    record Lookup(String set, int setId) implements Expression {
        @Override
        public String name() {
            return "lookup";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(2, REG_1); // NFTA_LOOKUP_SREG
            message.attribute(1, set); // NFTA_LOOKUP_SET
            message.attributeBigEndian(4, setId); // NFTA_LOOKUP_SET_ID
        }

        @Override
        public Expression shape() {
            return new Lookup(set, 0);
        }
    }

    /** {@code [ counter pkts P bytes B ]}: what the kernel counted (a new counter starts at zero). */
    record Counter(long packets, long bytes) implements Expression {

        /** A counter as nft adds one: from zero. */
        public static final Counter ZERO = new Counter(0, 0);

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public void encodeData(MessageWriter message) {
            // nft starts counters at zero by sending none.
        }

        @Override
        public Expression shape() {
            return ZERO;
        }
    }

    /** {@code [ queue num FIRST-LAST ]}, with {@code bypass} in its flags: the native queue expression. */
    record Queue(int first, int total, int flags) implements Expression {
        /** {@code NFT_QUEUE_FLAG_BYPASS}: accept the packet when no process listens on the queue. */
        public static final int BYPASS = 0x01;
        /** {@code NFT_QUEUE_FLAG_CPU_FANOUT}: the queue of the CPU that received the packet, within the range. */
        public static final int CPU_FANOUT = 0x02;

        @Override
        public String name() {
            return "queue";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attribute(1, be16(first)); // NFTA_QUEUE_NUM
            message.attribute(2, be16(total)); // NFTA_QUEUE_TOTAL
            message.attribute(3, be16(flags)); // NFTA_QUEUE_FLAGS
        }
    }

    /**
     * {@code [ target name NFQUEUE rev 3 ]}: the xtables NFQUEUE target through {@code nft_compat}, for kernels
     * built without {@code nft_queue}.
     */
    record XtNfqueue(int first, int total, int flags) implements Expression {
        /** {@code NFQ_FLAG_BYPASS}: accept the packet when no process listens on the queue. */
        public static final int BYPASS = 0x01;
        /** {@code NFQ_FLAG_CPU_FANOUT}: the queue of the CPU that received the packet, within the range. */
        public static final int CPU_FANOUT = 0x02;

        @Override
        public String name() {
            return "target";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attribute(1, "NFQUEUE"); // NFTA_TARGET_NAME
            message.attributeBigEndian(2, 3); // NFTA_TARGET_REV
            // struct xt_NFQ_info_v3 { __u16 queuenum; __u16 queues_total; __u16 flags; }, padded to 8 (XT_ALIGN)
            message.attribute(3, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) first)
                    .putShort((short) total).putShort((short) flags).array()); // NFTA_TARGET_INFO
        }
    }

    /** {@code [ notrack ]}: the packet skips connection tracking (and so defragmentation by it). */
    record Notrack() implements Expression {
        @Override
        public String name() {
            return "notrack";
        }

        @Override
        public void encodeData(MessageWriter message) {
        }

        @Override
        public boolean hasData() {
            return false;
        }
    }

    /** {@code [ ct load state => reg 1 ]}. */
    record CtState() implements Expression {
        @Override
        public String name() {
            return "ct";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(2, 0); // NFTA_CT_KEY: NFT_CT_STATE
            message.attributeBigEndian(1, REG_1); // NFTA_CT_DREG
        }
    }

    /** {@code [ bitwise reg 1 = ( reg 1 & MASK ) ^ 0 ]}, over as many bytes as the mask has. */
    record Bitwise(byte[] mask) implements Expression {
        @Override
        public String name() {
            return "bitwise";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(1, REG_1); // NFTA_BITWISE_SREG
            message.attributeBigEndian(2, REG_1); // NFTA_BITWISE_DREG
            message.attributeBigEndian(3, mask.length); // NFTA_BITWISE_LEN
            message.begin(4 | Netlink.NLA_F_NESTED).attribute(1, mask).end(); // NFTA_BITWISE_MASK
            message.begin(5 | Netlink.NLA_F_NESTED).attribute(1, new byte[mask.length]).end(); // NFTA_BITWISE_XOR
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bitwise bitwise && Arrays.equals(bitwise.mask, mask);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mask);
        }
    }

    /** {@code [ immediate reg 0 accept ]}. */
    record Accept() implements Expression {
        @Override
        public String name() {
            return "immediate";
        }

        @Override
        public void encodeData(MessageWriter message) {
            message.attributeBigEndian(1, REG_VERDICT); // NFTA_IMMEDIATE_DREG
            message.begin(2 | Netlink.NLA_F_NESTED) // NFTA_IMMEDIATE_DATA
                    .begin(2 | Netlink.NLA_F_NESTED) // NFTA_DATA_VERDICT
                    .attributeBigEndian(1, Chain.NF_ACCEPT) // NFTA_VERDICT_CODE
                    .end().end();
        }
    }

    /** An expression of a kind stateless-lb does not write, known only by name. */
    record Other(String name) implements Expression {
        @Override
        public void encodeData(MessageWriter message) {
            throw new UnsupportedOperationException("expression " + name + " is only read, never written");
        }
    }

    private static Expression xtables(String target, byte[] info) {
        if (!"NFQUEUE".equals(target) || info == null || info.length < 6) {
            return new Other("target " + target);
        }
        ByteBuffer host = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
        return new XtNfqueue(Short.toUnsignedInt(host.getShort(0)), Short.toUnsignedInt(host.getShort(2)),
                Short.toUnsignedInt(host.getShort(4)));
    }

    /** {@code [ immediate reg 0 accept ]} is the one verdict stateless-lb writes; any other is someone else's. */
    private static Expression verdict(AttributeReader data) {
        if (data != null) {
            while (data.next()) {
                AttributeReader verdict = data.nested();
                while (verdict.next()) {
                    if (verdict.type() == 1 && verdict.u32BigEndian() == Chain.NF_ACCEPT) {
                        return new Accept();
                    }
                }
            }
        }
        return new Other("immediate");
    }

    /** A load into the register, or a write from it (which carries {@code NFTA_PAYLOAD_SREG}). */
    private static Expression payload(Map<Integer, byte[]> values) {
        int base = readBe32(values.get(2));
        if (base != Payload.NETWORK_HEADER && base != Payload.TRANSPORT_HEADER) {
            return new Other("payload");
        }
        if (values.containsKey(5)) {
            return new PayloadWrite(base, readBe32(values.get(3)), readBe32(values.get(4)), readBe32(values.get(6)),
                    readBe32(values.get(7)));
        }
        return new Payload(base, readBe32(values.get(3)), readBe32(values.get(4)));
    }

    /** @return the {@code NFTA_DATA_VALUE} inside a nested data attribute */
    private static byte[] value(AttributeReader data) {
        if (data != null) {
            while (data.next()) {
                if (data.type() == 1) {
                    return data.bytes();
                }
            }
        }
        return new byte[0];
    }

    private static int readBe32(byte[] bytes) {
        return bytes == null || bytes.length < 4 ? -1 : ByteBuffer.wrap(bytes).getInt();
    }

    /** A queue's flags are left out when there are none: a missing u16 reads as 0. */
    private static int readBe16(byte[] bytes) {
        return bytes == null || bytes.length < 2 ? 0 : Short.toUnsignedInt(ByteBuffer.wrap(bytes).getShort());
    }

    private static long readBe64(byte[] bytes) {
        return bytes == null || bytes.length < 8 ? 0 : ByteBuffer.wrap(bytes).getLong();
    }

    private static String readString(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) {
            nul++;
        }
        return new String(bytes, 0, nul, StandardCharsets.UTF_8);
    }

    /** @return {@code value} as the 4 bytes the kernel's registers hold it in (host order) */
    static byte[] hostOrder(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private static byte[] be16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }
}
