package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import java.nio.ByteBuffer;

/**
 * A base chain ({@code NFTA_CHAIN_*}) on a netfilter hook:
 * {@code nft add chain inet meridio-nfqlb nfqlb { type filter hook prerouting priority filter; policy accept; }}.
 *
 * @param hook     null for a regular chain
 * @param priority the hook priority ({@code filter} = 0, {@code raw} = -300)
 */
public record Chain(String table, String name, Hook hook, int priority) {

    /** @return a regular chain: no hook, reached only by jumps ({@code nft add chain inet TABLE NAME}) */
    public static Chain regular(String table, String name) {
        return new Chain(table, name, null, 0);
    }

    /** The netfilter hooks, with their {@code NF_INET_*} numbers. */
    public enum Hook {
        PREROUTING(0), INPUT(1), FORWARD(2), OUTPUT(3), POSTROUTING(4);

        final int number;

        Hook(int number) {
            this.number = number;
        }

        static Hook of(int number) {
            for (Hook hook : values()) {
                if (hook.number == number) {
                    return hook;
                }
            }
            return null;
        }
    }

    /** {@code NFTA_CHAIN_TABLE}. */
    static final int NFTA_CHAIN_TABLE = 1;
    /** {@code NFTA_CHAIN_NAME}. */
    static final int NFTA_CHAIN_NAME = 3;
    /** {@code NFTA_CHAIN_HOOK}: nested hook number and priority. */
    static final int NFTA_CHAIN_HOOK = 4;
    /** {@code NFTA_CHAIN_POLICY}: what packets no rule decided get. */
    static final int NFTA_CHAIN_POLICY = 5;
    /** {@code NFTA_CHAIN_TYPE}: filter, nat or route. */
    static final int NFTA_CHAIN_TYPE = 7;
    /** {@code NFTA_HOOK_HOOKNUM}. */
    static final int NFTA_HOOK_HOOKNUM = 1;
    /** {@code NFTA_HOOK_PRIORITY}. */
    static final int NFTA_HOOK_PRIORITY = 2;
    /** {@code NF_ACCEPT}: the policy of every chain stateless-lb adds. */
    static final int NF_ACCEPT = 1;

    /** @return the chain in a message from the kernel (at {@code offset}, past its {@code nfgenmsg}) */
    static Chain decode(ByteBuffer message, int offset, int end) {
        String table = null;
        String name = null;
        Hook hook = null;
        int priority = 0;
        AttributeReader attributes = new AttributeReader(message, offset, end);
        while (attributes.next()) {
            switch (attributes.type()) {
                case NFTA_CHAIN_TABLE -> table = attributes.string();
                case NFTA_CHAIN_NAME -> name = attributes.string();
                case NFTA_CHAIN_HOOK -> {
                    AttributeReader hookAttributes = attributes.nested();
                    while (hookAttributes.next()) {
                        if (hookAttributes.type() == NFTA_HOOK_HOOKNUM) {
                            hook = Hook.of(hookAttributes.u32BigEndian());
                        } else if (hookAttributes.type() == NFTA_HOOK_PRIORITY) {
                            priority = hookAttributes.u32BigEndian();
                        }
                    }
                }
                default -> { } // type, policy, counters, handle: stateless-lb's chains are all filter, accept
            }
        }
        return new Chain(table, name, hook, priority);
    }

    void encode(MessageWriter message) {
        message.attribute(NFTA_CHAIN_TABLE, table);
        message.attribute(NFTA_CHAIN_NAME, name);
        if (hook == null) {
            return;
        }
        message.attribute(NFTA_CHAIN_TYPE, "filter");
        message.attributeBigEndian(NFTA_CHAIN_POLICY, NF_ACCEPT);
        message.begin(NFTA_CHAIN_HOOK | Netlink.NLA_F_NESTED)
                .attributeBigEndian(NFTA_HOOK_HOOKNUM, hook.number)
                .attributeBigEndian(NFTA_HOOK_PRIORITY, priority)
                .end();
    }
}
