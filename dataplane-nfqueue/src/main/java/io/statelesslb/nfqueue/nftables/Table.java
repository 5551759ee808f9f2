package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.MessageWriter;

/** An inet table ({@code NFTA_TABLE_*}): {@code nft add table inet meridio-nfqlb}. */
public record Table(String name) {

    /** {@code NFTA_TABLE_NAME}. */
    static final int NFTA_TABLE_NAME = 1;
    /** {@code NFTA_TABLE_FLAGS}. */
    static final int NFTA_TABLE_FLAGS = 2;

    void encode(MessageWriter message, boolean adding) {
        message.attribute(NFTA_TABLE_NAME, name);
        if (adding) {
            message.attributeBigEndian(NFTA_TABLE_FLAGS, 0);
        }
    }
}
