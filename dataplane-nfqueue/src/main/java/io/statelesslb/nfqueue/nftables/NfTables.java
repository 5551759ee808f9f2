package io.statelesslb.nfqueue.nftables;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkConnection;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * nf_tables over netlink: changes go in {@link Batch}es, which the kernel applies as one transaction (all or
 * nothing); reads are dumps. Adding a table, chain or set either refuses what exists ({@code nft create}) or keeps
 * it ({@code nft add}, "ensure"); elements are created. Refusals read like nft's:
 * {@code nftables answers: File exists}.
 */
public final class NfTables implements AutoCloseable {

    private static final int CREATE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE
            | Netlink.NLM_F_EXCL;
    private static final int ENSURE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE;
    private static final int APPEND = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE
            | Netlink.NLM_F_APPEND;
    private static final int DELETE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;
    private static final int DUMP = Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP;

    private final NetlinkConnection connection;

    /** @param transport a {@link Netlink#NETLINK_NETFILTER} socket */
    public NfTables(NetlinkTransport transport, int firstSequence) {
        this.connection = new NetlinkConnection(transport, "nftables answers", firstSequence);
    }

    /** @return a new, empty batch of changes */
    public Batch batch() {
        return new Batch();
    }

    /** {@code nft list tables inet}: the names of the inet tables. */
    public List<String> tables() {
        List<String> names = new ArrayList<>();
        for (ByteBuffer message : connection.dump(seq -> Nft.message(Nft.NFT_MSG_GETTABLE, DUMP, seq).bytes())) {
            AttributeReader attributes = attributes(message);
            while (attributes.next()) {
                if (attributes.type() == Table.NFTA_TABLE_NAME) {
                    names.add(attributes.string());
                }
            }
        }
        return names;
    }

    /**
     * {@code nft list set inet TABLE SET}: the prefixes in an interval set of addresses.
     *
     * @throws NetlinkException when there is no such table or set
     */
    public List<Cidr> elements(String table, String set, Family family) {
        List<Cidr> prefixes = new ArrayList<>();
        for (ByteBuffer message : connection.dump(seq -> Nft.message(Nft.NFT_MSG_GETSETELEM, DUMP, seq)
                .attribute(SetElements.NFTA_SET_ELEM_LIST_TABLE, table)
                .attribute(SetElements.NFTA_SET_ELEM_LIST_SET, set).bytes())) {
            prefixes.addAll(SetElements.decode(message, MessageWriter.NLMSG_HDRLEN, message.limit(), family));
        }
        prefixes.sort(Cidr::compareTo);
        return prefixes;
    }

    /** {@code nft list table inet TABLE}, its chains: none when there is no such table. */
    public List<Chain> chains(String table) {
        List<Chain> chains = new ArrayList<>();
        for (ByteBuffer message : dumpOf(table, seq -> Nft.message(Nft.NFT_MSG_GETCHAIN, DUMP, seq)
                .attribute(Chain.NFTA_CHAIN_TABLE, table).bytes())) {
            Chain chain = Chain.decode(message, MessageWriter.NLMSG_HDRLEN + Nft.NFGENMSG, message.limit());
            if (table.equals(chain.table())) {
                chains.add(chain);
            }
        }
        return chains;
    }

    /** {@code nft -a list chain inet TABLE CHAIN}: its rules in order, with handles; none without such a chain. */
    public List<Rule> rules(String table, String chain) {
        List<Rule> rules = new ArrayList<>();
        for (ByteBuffer message : dumpOf(table, seq -> Nft.message(Nft.NFT_MSG_GETRULE, DUMP, seq)
                .attribute(Rule.NFTA_RULE_TABLE, table).attribute(Rule.NFTA_RULE_CHAIN, chain).bytes())) {
            Rule rule = Rule.decode(message, MessageWriter.NLMSG_HDRLEN + Nft.NFGENMSG, message.limit());
            if (table.equals(rule.table()) && chain.equals(rule.chain())) {
                rules.add(rule);
            }
        }
        return rules;
    }

    /** A dump filtered by a table or chain that is not there answers "No such file or directory": it holds nothing. */
    private List<ByteBuffer> dumpOf(String table, IntFunction<byte[]> request) {
        try {
            return connection.dump(request);
        } catch (NetlinkException e) {
            if (e.errno() == NetlinkException.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    private static AttributeReader attributes(ByteBuffer message) {
        return new AttributeReader(message, MessageWriter.NLMSG_HDRLEN + Nft.NFGENMSG, message.limit());
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Changes applied together by {@link #commit()}; each method names the nft command it matches. */
    public final class Batch {

        private final List<IntFunction<byte[]>> messages = new ArrayList<>();

        private Batch() {
        }

        /** {@code nft create table inet NAME}. */
        public Batch addTable(Table table) {
            return add(Nft.NFT_MSG_NEWTABLE, CREATE, message -> table.encode(message, true));
        }

        /** {@code nft delete table inet NAME}: the table with everything in it. */
        public Batch deleteTable(Table table) {
            return add(Nft.NFT_MSG_DELTABLE, DELETE, message -> table.encode(message, false));
        }

        /** {@code nft add table inet NAME}: created if it is not there, kept as it is if it is. */
        public Batch ensureTable(Table table) {
            return add(Nft.NFT_MSG_NEWTABLE, ENSURE, message -> table.encode(message, true));
        }

        /** {@code nft create chain inet TABLE NAME { type filter hook H priority P; policy accept; }}. */
        public Batch addChain(Chain chain) {
            return add(Nft.NFT_MSG_NEWCHAIN, CREATE, chain::encode);
        }

        /** {@code nft add chain inet TABLE NAME { ... }}: created if it is not there, kept with its rules if it is. */
        public Batch ensureChain(Chain chain) {
            return add(Nft.NFT_MSG_NEWCHAIN, ENSURE, chain::encode);
        }

        /** {@code nft delete chain inet TABLE NAME}: refused while the chain has rules, so flush it first. */
        public Batch deleteChain(String table, String chain) {
            return add(Nft.NFT_MSG_DELCHAIN, DELETE, message -> message.attribute(Chain.NFTA_CHAIN_TABLE, table)
                    .attribute(Chain.NFTA_CHAIN_NAME, chain));
        }

        /** {@code nft create set inet TABLE NAME { type ipv4_addr; flags interval; }}. */
        public Batch addSet(VipSet set) {
            return add(Nft.NFT_MSG_NEWSET, CREATE, set::encode);
        }

        /** {@code nft add set inet TABLE NAME { ... }}: created if it is not there, kept with its elements if it is. */
        public Batch ensureSet(VipSet set) {
            return add(Nft.NFT_MSG_NEWSET, ENSURE, set::encode);
        }

        /** {@code nft add rule inet TABLE CHAIN EXPRESSIONS}: appended at the chain's end. */
        public Batch addRule(Rule rule) {
            return add(Nft.NFT_MSG_NEWRULE, APPEND, rule::encode);
        }

        /** {@code nft flush chain inet TABLE CHAIN}: every rule of the chain goes. */
        public Batch flushChain(String table, String chain) {
            return add(Nft.NFT_MSG_DELRULE, DELETE, message -> message.attribute(Rule.NFTA_RULE_TABLE, table)
                    .attribute(Rule.NFTA_RULE_CHAIN, chain));
        }

        /** {@code nft create element inet TABLE SET { PREFIX, ... }}. */
        public Batch addElements(SetElements elements) {
            return add(Nft.NFT_MSG_NEWSETELEM, CREATE, elements::encode);
        }

        /** {@code nft delete element inet TABLE SET { PREFIX, ... }}. */
        public Batch deleteElements(SetElements elements) {
            return add(Nft.NFT_MSG_DELSETELEM, DELETE, elements::encode);
        }

        private Batch add(int type, int flags, Consumer<MessageWriter> body) {
            messages.add(seq -> {
                MessageWriter message = Nft.message(type, flags, seq);
                body.accept(message);
                return message.bytes();
            });
            return this;
        }

        /**
         * Sends the batch and waits for the kernel to take every change.
         *
         * @throws NetlinkException naming the kernel's refusal; then none of the batch's changes were made
         */
        public void commit() {
            if (messages.isEmpty()) {
                return;
            }
            connection.executeBatch(seq -> Nft.batch(Nft.NFNL_MSG_BATCH_BEGIN, seq), messages,
                    seq -> Nft.batch(Nft.NFNL_MSG_BATCH_END, seq));
        }
    }
}
