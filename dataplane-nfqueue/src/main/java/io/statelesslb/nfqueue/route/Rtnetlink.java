package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkConnection;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Policy routing over rtnetlink: the rules and routes stateless-lb keeps, and the interface indexes routes name.
 * Each operation says which {@code ip} command it is equivalent to; a refusal is a {@link NetlinkException} with
 * the words {@code ip} prints ({@code RTNETLINK answers: File exists}).
 */
public final class Rtnetlink implements AutoCloseable {

    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;
    static final int RTM_GETRULE = 34;
    /** {@code IFLA_IFNAME}: an interface's name. */
    static final int IFLA_IFNAME = 3;
    /** Size of {@code struct ifinfomsg}. */
    static final int IFINFOMSG = 16;

    private static final int CREATE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_EXCL
            | Netlink.NLM_F_CREATE;
    private static final int REPLACE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_REPLACE
            | Netlink.NLM_F_CREATE;
    private static final int DELETE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;
    private static final int DUMP = Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP;

    private final NetlinkConnection connection;

    /** @param transport a {@link Netlink#NETLINK_ROUTE} socket */
    public Rtnetlink(NetlinkTransport transport, int firstSequence) {
        this.connection = new NetlinkConnection(transport, "RTNETLINK answers", firstSequence);
    }

    /** {@code ip rule add pref P fwmark M lookup T} (or {@code from PREFIX}); refused if the same rule exists. */
    public void addRule(FibRule rule) {
        connection.execute(seq -> rule(RTM_NEWRULE, CREATE, seq, rule, true));
    }

    /** {@code ip rule del pref P fwmark M lookup T}. */
    public void deleteRule(FibRule rule) {
        connection.execute(seq -> rule(RTM_DELRULE, DELETE, seq, rule, false));
    }

    /** {@code ip [-6] rule show}: every rule of the family, the kernel's own included. */
    public List<FibRule> rules(Family family) {
        List<FibRule> rules = new ArrayList<>();
        for (ByteBuffer message : connection.dump(seq -> new MessageWriter(RTM_GETRULE, DUMP, seq)
                .u8(AddressBytes.family(family)).put(new byte[FibRule.HEADER - 1]).bytes())) {
            if (Short.toUnsignedInt(message.getShort(4)) == RTM_NEWRULE) {
                rules.add(FibRule.decode(message, MessageWriter.NLMSG_HDRLEN, message.limit()));
            }
        }
        return rules;
    }

    /** {@code ip route add default via GW dev IF table T}; refused if the table has that route already. */
    public void addRoute(Route route) {
        connection.execute(seq -> route(RTM_NEWROUTE, CREATE, seq, route));
    }

    /** {@code ip route replace default table T nexthop via GW dev IF ...}: adds, or replaces what is there. */
    public void replaceRoute(Route route) {
        connection.execute(seq -> route(RTM_NEWROUTE, REPLACE, seq, route));
    }

    /** {@code ip route del default via GW dev IF table T}. */
    public void deleteRoute(Route route) {
        connection.execute(seq -> route(RTM_DELROUTE, DELETE, seq, route));
    }

    /** {@code ip [-6] route del default table T}: the table's default route, whatever its next hops. */
    public void deleteDefaultRoute(Family family, int table) {
        connection.execute(seq -> {
            MessageWriter message = new MessageWriter(RTM_DELROUTE, DELETE, seq)
                    .u8(AddressBytes.family(family)).u8(0).u8(0).u8(0) // family, dst_len, src_len, tos
                    .u8(Route.RT_TABLE_UNSPEC).u8(0).u8(0).u8(0) // table, protocol, scope, type: any
                    .u32(0)
                    .attribute(Route.RTA_TABLE, table);
            return message.bytes();
        });
    }

    /** {@code ip [-6] route show table T}: the table's routes through a gateway (direct and local ones left out). */
    public List<Route> routes(Family family, int table) {
        List<Route> routes = new ArrayList<>();
        for (ByteBuffer message : connection.dump(seq -> new MessageWriter(RTM_GETROUTE, DUMP, seq)
                .u8(AddressBytes.family(family)).put(new byte[Route.HEADER - 1]).bytes())) {
            if (Short.toUnsignedInt(message.getShort(4)) == RTM_NEWROUTE) {
                Route route = Route.decode(message, MessageWriter.NLMSG_HDRLEN, message.limit());
                if (route != null && route.table() == table) {
                    routes.add(route);
                }
            }
        }
        return routes;
    }

    /**
     * {@code ip link show NAME}: the interface's index, which routes name.
     *
     * @throws NetlinkException when there is no such interface ({@code No such device})
     */
    public int interfaceIndex(String name) {
        byte[] nul = (name + "\0").getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> answer = new ArrayList<>();
        connection.execute(seq -> {
            // A GETLINK by name answers with the link and no ack; ask for one so the exchange ends the same way.
            return new MessageWriter(RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq)
                    .put(new byte[IFINFOMSG]).attribute(IFLA_IFNAME, nul).bytes();
        }, message -> {
            if (Short.toUnsignedInt(message.getShort(4)) == RTM_NEWLINK) {
                answer.add(message);
            }
        });
        if (answer.isEmpty()) {
            throw new NetlinkException(NetlinkException.ENOENT, "no interface called " + name);
        }
        return answer.get(0).getInt(MessageWriter.NLMSG_HDRLEN + 4);
    }

    private static byte[] rule(int type, int flags, int seq, FibRule rule, boolean adding) {
        MessageWriter message = new MessageWriter(type, flags, seq);
        rule.encode(message, adding);
        return message.bytes();
    }

    private static byte[] route(int type, int flags, int seq, Route route) {
        MessageWriter message = new MessageWriter(type, flags, seq);
        route.encode(message);
        return message.bytes();
    }

    @Override
    public void close() {
        connection.close();
    }
}
