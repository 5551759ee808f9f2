package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;

/** nf_tables message types and the nfnetlink header, with the kernel's names ({@code linux/netfilter/nf_tables.h}). */
final class Nft {

    /** {@code NFNL_SUBSYS_NFTABLES}: the high byte of every nf_tables message type. */
    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int NFNL_MSG_BATCH_BEGIN = 16;
    static final int NFNL_MSG_BATCH_END = 17;
    /** {@code NFPROTO_INET}: the tables stateless-lb keeps serve IPv4 and IPv6 alike. */
    static final int NFPROTO_INET = 1;

    static final int NFT_MSG_NEWTABLE = 0;
    static final int NFT_MSG_GETTABLE = 1;
    static final int NFT_MSG_DELTABLE = 2;
    static final int NFT_MSG_NEWCHAIN = 3;
    static final int NFT_MSG_GETCHAIN = 4;
    static final int NFT_MSG_DELCHAIN = 5;
    static final int NFT_MSG_NEWRULE = 6;
    static final int NFT_MSG_GETRULE = 7;
    static final int NFT_MSG_DELRULE = 8;
    static final int NFT_MSG_NEWSET = 9;
    static final int NFT_MSG_NEWSETELEM = 12;
    static final int NFT_MSG_GETSETELEM = 13;
    static final int NFT_MSG_DELSETELEM = 14;

    /** Size of {@code struct nfgenmsg}. */
    static final int NFGENMSG = 4;

    private Nft() {
    }

    /** @return a message of nf_tables type {@code type} with its {@code nfgenmsg} written */
    static MessageWriter message(int type, int flags, int sequence) {
        return new MessageWriter(NFNL_SUBSYS_NFTABLES << 8 | type, flags, sequence)
                .u8(NFPROTO_INET).u8(0) // family, version (NFNETLINK_V0)
                .u16(0); // res_id
    }

    /** @return a batch begin or end message: {@code res_id} names the subsystem, in network byte order */
    static byte[] batch(int type, int sequence) {
        return new MessageWriter(type, Netlink.NLM_F_REQUEST, sequence)
                .u8(0).u8(0) // AF_UNSPEC, NFNETLINK_V0
                .u8(0).u8(NFNL_SUBSYS_NFTABLES) // res_id, big-endian
                .bytes();
    }
}
