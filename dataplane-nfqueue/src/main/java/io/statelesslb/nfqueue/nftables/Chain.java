package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;

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

    /** The hooks stateless-lb's chains sit on, with their {@code NF_INET_*} numbers. */
    public enum Hook {
        PREROUTING(0), OUTPUT(3);

        final int number;

        Hook(int number) {
            this.number = number;
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
