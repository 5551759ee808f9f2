package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule ({@code NFTA_RULE_*}): expressions appended to a chain, as {@code nft add rule inet TABLE CHAIN ...}; read
 * back with the handle the kernel gave it ({@code nft -a list chain}).
 *
 * @param handle the kernel's number of the rule within its chain; 0 for a rule not yet added
 */
public record Rule(String table, String chain, List<Expression> expressions, long handle) {

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

    /** A rule to add to {@code chain} of {@code table}. */
    public Rule(String table, String chain, List<Expression> expressions) {
        this(table, chain, expressions, 0);
    }

    /** @return the expressions without what the kernel keeps changing (counts) or assigns (set ids) */
    public List<Expression> shape() {
        return expressions.stream().map(Expression::shape).toList();
    }

    /** @return the counter in the rule, or none */
    public Expression.Counter counter() {
        for (Expression expression : expressions) {
            if (expression instanceof Expression.Counter counter) {
                return counter;
            }
        }
        return null;
    }

    /** @return the rule in a message from the kernel (at {@code offset}, past its {@code nfgenmsg}) */
    static Rule decode(ByteBuffer message, int offset, int end) {
        String table = null;
        String chain = null;
        long handle = 0;
        List<Expression> expressions = new ArrayList<>();
        AttributeReader attributes = new AttributeReader(message, offset, end);
        while (attributes.next()) {
            switch (attributes.type()) {
                case NFTA_RULE_TABLE -> table = attributes.string();
                case NFTA_RULE_CHAIN -> chain = attributes.string();
                case NFTA_RULE_HANDLE -> handle = attributes.u64BigEndian();
                case NFTA_RULE_EXPRESSIONS -> {
                    AttributeReader list = attributes.nested();
                    while (list.next()) {
                        expressions.add(decodeExpression(list.nested()));
                    }
                }
                default -> { } // position, user data: not what stateless-lb reads
            }
        }
        return new Rule(table, chain, expressions, handle);
    }

    private static Expression decodeExpression(AttributeReader element) {
        String name = "";
        AttributeReader data = null;
        while (element.next()) {
            if (element.type() == NFTA_EXPR_NAME) {
                name = element.string();
            } else if (element.type() == NFTA_EXPR_DATA) {
                data = element.nested();
            }
        }
        return Expression.decode(name, data);
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
