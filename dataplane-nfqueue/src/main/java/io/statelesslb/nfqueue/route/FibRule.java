package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import java.nio.ByteBuffer;

/**
 * A policy routing rule ({@code struct fib_rule_hdr} and its {@code FRA_*} attributes): packets with the fwmark (or
 * none), from the source prefix, of the IP protocol, look up the table. The rules stateless-lb writes are
 * {@code ip rule add pref 99 fwmark 0x1389 lookup 5001 proto 115} (a target),
 * {@code ip rule add pref 100 from 20.0.0.1 lookup 4096 proto 115} (a VIP's replies) and
 * {@code ip rule add pref 101 fwmark 0/0xffffffff ipproto icmp lookup main suppress_prefixlength 0 proto 115} (its
 * own ICMP errors).
 *
 * @param fwmark               0 for none
 * @param unmarked             whether only packets without a fwmark match ({@code fwmark 0/0xffffffff})
 * @param source               null for any source
 * @param ipProtocol           0 for any
 * @param suppressPrefixLength -1 for none
 * @param protocol             who owns the rule ({@code FRA_PROTOCOL}); 0 when unspecified
 */
public record FibRule(Family family, int priority, int fwmark, boolean unmarked, Cidr source, int ipProtocol,
                      int table, int suppressPrefixLength, int protocol) {

    /** {@code FRA_SRC}: the source prefix (its length is in the header's {@code src_len}). */
    static final int FRA_SRC = 2;
    /** {@code FRA_PRIORITY}: the rule's preference. */
    static final int FRA_PRIORITY = 6;
    /** {@code FRA_FWMARK}: the mark packets must carry. */
    static final int FRA_FWMARK = 10;
    /** {@code FRA_SUPPRESS_PREFIXLEN}: routes this short or shorter found by the lookup are passed over. */
    static final int FRA_SUPPRESS_PREFIXLEN = 14;
    /** {@code FRA_TABLE}: the table to look up (32 bits, any table number). */
    static final int FRA_TABLE = 15;
    /** {@code FRA_FWMASK}: the bits of the mark compared. */
    static final int FRA_FWMASK = 16;
    /** {@code FRA_PROTOCOL}: who added the rule (8 bits, as a route's {@code rtm_protocol}). */
    static final int FRA_PROTOCOL = 21;
    /** {@code FRA_IP_PROTO}: the IP protocol packets must be of. */
    static final int FRA_IP_PROTO = 22;
    /** {@code FR_ACT_TO_TBL}: the rule's action, look up a table. */
    static final int FR_ACT_TO_TBL = 1;
    /** {@code FR_ACT_UNSPEC}: the action a delete names (matching any). */
    static final int FR_ACT_UNSPEC = 0;
    /** {@code RT_TABLE_UNSPEC}: the header's 8-bit table when {@code FRA_TABLE} carries it. */
    static final int RT_TABLE_UNSPEC = 0;
    /** The mask of {@code fwmark 0/0xffffffff}: every bit, so that only an unmarked packet matches. */
    static final int ALL_BITS = 0xFFFF_FFFF;

    /** Size of {@code struct fib_rule_hdr}. */
    static final int HEADER = 12;

    /** @return {@code ip rule add pref P fwmark M lookup T proto N} */
    public static FibRule fwmark(Family family, int priority, int fwmark, int table, int protocol) {
        return new FibRule(family, priority, fwmark, false, null, 0, table, -1, protocol);
    }

    /** @return {@code ip rule add pref P from PREFIX lookup T proto N} */
    public static FibRule from(Family family, int priority, Cidr source, int table, int protocol) {
        return new FibRule(family, priority, 0, false, source, 0, table, -1, protocol);
    }

    /**
     * Writes the rule after a message header, as {@code ip rule} does for the arguments in this order: the fixed
     * header (a table below 256 in it, as {@code main}), then priority, source, fwmark and mask, IP protocol,
     * suppressed prefix length, a larger table, and protocol.
     *
     * @param adding whether the message adds the rule (a delete leaves the action unspecified)
     */
    void encode(MessageWriter message, boolean adding) {
        message.u8(AddressBytes.family(family))
                .u8(0) // dst_len
                .u8(source == null ? 0 : source.prefixLength())
                .u8(0) // tos
                .u8(table < 256 ? table : RT_TABLE_UNSPEC)
                .u8(0).u8(0) // res1, res2
                .u8(adding ? FR_ACT_TO_TBL : FR_ACT_UNSPEC)
                .u32(0); // flags
        message.attribute(FRA_PRIORITY, priority);
        if (source != null) {
            message.attribute(FRA_SRC, AddressBytes.of(source.address()));
        }
        if (fwmark != 0 || unmarked) {
            message.attribute(FRA_FWMARK, fwmark);
        }
        if (unmarked) {
            message.attribute(FRA_FWMASK, ALL_BITS);
        }
        if (ipProtocol != 0) {
            message.attribute(FRA_IP_PROTO, new byte[] {(byte) ipProtocol});
        }
        if (suppressPrefixLength >= 0) {
            message.attribute(FRA_SUPPRESS_PREFIXLEN, suppressPrefixLength);
        }
        if (table >= 256) {
            message.attribute(FRA_TABLE, table);
        }
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
        int mask = 0;
        int ipProtocol = 0;
        int suppress = -1;
        int protocol = 0;
        Cidr source = null;
        AttributeReader attributes = new AttributeReader(message, offset + HEADER, end);
        while (attributes.next()) {
            switch (attributes.type()) {
                case FRA_PRIORITY -> priority = attributes.u32();
                case FRA_FWMARK -> fwmark = attributes.u32();
                case FRA_FWMASK -> mask = attributes.u32();
                case FRA_TABLE -> table = attributes.u32();
                case FRA_SRC -> source = new Cidr(AddressBytes.read(family, attributes.bytes()), sourceLength);
                case FRA_IP_PROTO -> ipProtocol = attributes.u8();
                case FRA_SUPPRESS_PREFIXLEN -> suppress = attributes.u32();
                case FRA_PROTOCOL -> protocol = attributes.u8();
                default -> { } // other selectors stateless-lb does not write
            }
        }
        // The kernel says "no suppression" with -1 too; a mark of 0 under a full mask is "unmarked".
        return new FibRule(family, priority, fwmark, fwmark == 0 && mask == ALL_BITS, source, ipProtocol, table,
                suppress, protocol);
    }

    @Override
    public String toString() {
        return priority + ": from " + (source == null ? "all" : source.toString())
                + (unmarked ? " fwmark 0" : fwmark != 0 ? " fwmark 0x" + Integer.toHexString(fwmark) : "")
                + (ipProtocol != 0 ? " ipproto " + ipProtocol : "") + " lookup " + table
                + (suppressPrefixLength >= 0 ? " suppress_prefixlength " + suppressPrefixLength : "")
                + (protocol != 0 ? " proto " + protocol : "");
    }
}
