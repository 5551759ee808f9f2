package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import java.util.List;

/** A rule ({@code NFTA_RULE_*}): expressions appended to a chain, as {@code nft add rule inet TABLE CHAIN ...}. */
public record Rule(String table, String chain, List<Expression> expressions) {

    /** {@code NFTA_RULE_TABLE}. */
    static final int NFTA_RULE_TABLE = 1;
    /** {@code NFTA_RULE_CHAIN}. */
    static final int NFTA_RULE_CHAIN = 2;
    /** {@code NFTA_RULE_HANDLE}: the kernel's number of a rule within its chain. */
    static final int NFTA_RULE_HANDLE = 3;
    /** {@code NFTA_RULE_EXPRESSIONS}: nested list. */
    static final int NFTA_RULE_EXPRESSIONS = 4;
    /** {@code NFTA_LIST_ELEM}. */
    static final int NFTA_LIST_ELEM = 1;
    /** {@code NFTA_EXPR_NAME}. */
    static final int NFTA_EXPR_NAME = 1;
    /** {@code NFTA_EXPR_DATA}. */
    static final int NFTA_EXPR_DATA = 2;

    public Rule {
        expressions = List.copyOf(expressions);
    }

    void encode(MessageWriter message) {
        message.attribute(NFTA_RULE_TABLE, table);
        message.attribute(NFTA_RULE_CHAIN, chain);
        message.begin(NFTA_RULE_EXPRESSIONS | Netlink.NLA_F_NESTED);
        for (Expression expression : expressions) {
            message.begin(NFTA_LIST_ELEM | Netlink.NLA_F_NESTED);
            message.attribute(NFTA_EXPR_NAME, expression.name());
            if (expression.hasData()) {
                message.begin(NFTA_EXPR_DATA | Netlink.NLA_F_NESTED);
                expression.encodeData(message);
                message.end();
            }
            message.end();
        }
        message.end();
    }
}
