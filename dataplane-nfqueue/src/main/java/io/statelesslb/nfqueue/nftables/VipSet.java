package io.statelesslb.nfqueue.nftables;

import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.MessageWriter;

/**
 * An interval set of addresses of one family ({@code NFTA_SET_*}), as the VIP sets are:
 * {@code nft add set inet meridio-nfqlb ipv4-vips { type ipv4_addr; flags interval; }}.
 *
 * @param id the set's id within the batch that adds it
 */
public record VipSet(String table, String name, Family family, int id) {

    /** {@code NFTA_SET_TABLE}. */
    static final int NFTA_SET_TABLE = 1;
    /** {@code NFTA_SET_NAME}. */
    static final int NFTA_SET_NAME = 2;
    /** {@code NFTA_SET_FLAGS}. */
    static final int NFTA_SET_FLAGS = 3;
    /** {@code NFTA_SET_KEY_TYPE}: nft's data type, so that {@code nft list} prints the keys as addresses. */
    static final int NFTA_SET_KEY_TYPE = 4;
    /** {@code NFTA_SET_KEY_LEN}. */
    static final int NFTA_SET_KEY_LEN = 5;
    /** {@code NFTA_SET_ID}. */
    static final int NFTA_SET_ID = 10;
    /** {@code NFTA_SET_USERDATA}: nft's annotations of the set. */
    static final int NFTA_SET_USERDATA = 13;
    /** {@code NFT_SET_INTERVAL}: elements are ranges. */
    static final int NFT_SET_INTERVAL = 4;
    /** nft's {@code ipv4_addr} type. */
    static final int TYPE_IPADDR = 7;
    /** nft's {@code ipv6_addr} type. */
    static final int TYPE_IP6ADDR = 8;
    /** nft's user data: {@code NFTNL_UDATA_SET_KEYBYTEORDER} (TLV type 0, length 4) = big endian (2). */
    static final byte[] KEY_BYTEORDER_BIG_ENDIAN = {0, 4, 2, 0, 0, 0};

    void encode(MessageWriter message) {
        message.attribute(NFTA_SET_TABLE, table);
        message.attribute(NFTA_SET_NAME, name);
        message.attributeBigEndian(NFTA_SET_FLAGS, NFT_SET_INTERVAL);
        message.attributeBigEndian(NFTA_SET_KEY_TYPE, family == Family.IPV4 ? TYPE_IPADDR : TYPE_IP6ADDR);
        message.attributeBigEndian(NFTA_SET_KEY_LEN, family == Family.IPV4 ? 4 : 16);
        message.attributeBigEndian(NFTA_SET_ID, id);
        message.attribute(NFTA_SET_USERDATA, KEY_BYTEORDER_BIG_ENDIAN);
    }
}
