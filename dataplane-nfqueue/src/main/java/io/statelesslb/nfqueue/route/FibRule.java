package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import java.nio.ByteBuffer;

/**
 * A policy routing rule ({@code struct fib_rule_hdr} and its {@code FRA_*} attributes): packets with the fwmark, or
 * from the source prefix, look up the table. The rules stateless-lb writes are of two kinds:
 * {@code ip rule add pref 99 fwmark 0x1389 lookup 5001 proto 115} (a target) and
 * {@code ip rule add pref 100 from 20.0.0.1 lookup 4096 proto 115} (a VIP's replies).
 *
 * @param fwmark   0 for none
 * @param source   null for any source
 * @param protocol who owns the rule ({@code FRA_PROTOCOL}); 0 when unspecified
 */
public record FibRule(Family family, int priority, int fwmark, Cidr source, int table, int protocol) {

    /** {@code FRA_SRC}: the source prefix (its length is in the header's {@code src_len}). */
    static final int FRA_SRC = 2;
    /** {@code FRA_PRIORITY}: the rule's preference. */
    static final int FRA_PRIORITY = 6;
    /** {@code FRA_FWMARK}: the mark packets must carry. */
    static final int FRA_FWMARK = 10;
    /** {@code FRA_TABLE}: the table to look up (32 bits, any table number). */
    static final int FRA_TABLE = 15;
    /** {@code FRA_PROTOCOL}: who added the rule (8 bits, as a route's {@code rtm_protocol}). */
    static final int FRA_PROTOCOL = 21;
    /** {@code FR_ACT_TO_TBL}: the rule's action, look up a table. */
    static final int FR_ACT_TO_TBL = 1;
    /** {@code FR_ACT_UNSPEC}: the action a delete names (matching any). */
    static final int FR_ACT_UNSPEC = 0;
    /** {@code RT_TABLE_UNSPEC}: the header's 8-bit table when {@code FRA_TABLE} carries it. */
    static final int RT_TABLE_UNSPEC = 0;

    /** Size of {@code struct fib_rule_hdr}. */
    static final int HEADER = 12;

    /**
     * Writes the rule after a message header, as {@code ip rule} does: the fixed header, then priority, fwmark or
     * source, table and protocol.
     *
     * @param adding whether the message adds the rule (a delete leaves the action unspecified)
     */
    void encode(MessageWriter message, boolean adding) {
        message.u8(AddressBytes.family(family))
                .u8(0) // dst_len
                .u8(source == null ? 0 : source.prefixLength())
                .u8(0) // tos
                .u8(RT_TABLE_UNSPEC)
                .u8(0).u8(0) // res1, res2
                .u8(adding ? FR_ACT_TO_TBL : FR_ACT_UNSPEC)
                .u32(0); // flags
        message.attribute(FRA_PRIORITY, priority);
        if (fwmark != 0) {
            message.attribute(FRA_FWMARK, fwmark);
        }
        if (source != null) {
            message.attribute(FRA_SRC, AddressBytes.of(source.address()));
        }
        message.attribute(FRA_TABLE, table);
        if (protocol != 0) {
            message.attribute(FRA_PROTOCOL, new byte[] {(byte) protocol});
        }
    }

    /** @return the rule in a message from the kernel (at {@code offset}, past its {@code nlmsghdr}) */
    static FibRule decode(ByteBuffer message, int offset, int end) {
        Family family = AddressBytes.family(Byte.toUnsignedInt(message.get(offset)));
        int sourceLength = Byte.toUnsignedInt(message.get(offset + 2));
        int table = Byte.toUnsignedInt(message.get(offset + 4));
        int priority = 0;
        int fwmark = 0;
        int protocol = 0;
        Cidr source = null;
        AttributeReader attributes = new AttributeReader(message, offset + HEADER, end);
        while (attributes.next()) {
            switch (attributes.type()) {
                case FRA_PRIORITY -> priority = attributes.u32();
                case FRA_FWMARK -> fwmark = attributes.u32();
                case FRA_TABLE -> table = attributes.u32();
                case FRA_SRC -> source = new Cidr(AddressBytes.read(family, attributes.bytes()), sourceLength);
                case FRA_PROTOCOL -> protocol = attributes.u8();
                default -> { } // other selectors stateless-lb does not write
            }
        }
        return new FibRule(family, priority, fwmark, source, table, protocol);
    }

    @Override
    public String toString() {
        return priority + ": from " + (source == null ? "all" : source.toString()) + (fwmark != 0
                ? " fwmark 0x" + Integer.toHexString(fwmark) : "") + " lookup " + table
                + (protocol != 0 ? " proto " + protocol : "");
    }
}
