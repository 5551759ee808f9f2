package io.statelesslb.nfqueue.route;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkConnection;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Policy routing over rtnetlink: the rules and routes stateless-lb keeps, and the interface indexes routes name.
 * Each operation says which {@code ip} command it is equivalent to; a refusal is a {@link NetlinkException} with
 * the words {@code ip} prints ({@code RTNETLINK answers: File exists}).
 */
public final class Rtnetlink implements AutoCloseable {

    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    /** {@code IFLA_MTU}. */
    static final int IFLA_MTU = 4;
    /** {@code IFF_UP}: the interface is administratively up. */
    static final int IFF_UP = 0x1;
    /** {@code IFA_ADDRESS}: the address (for point-to-point links, the peer's). */
    static final int IFA_ADDRESS = 1;
    /** {@code IFA_LOCAL}: the local address, when it differs from {@code IFA_ADDRESS}. */
    static final int IFA_LOCAL = 2;
    /** Size of {@code struct ifaddrmsg}. */
    static final int IFADDRMSG = 8;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_GETNEIGH = 30;
    /** Size of {@code struct ndmsg}. */
    static final int NDMSG = 12;
    /** {@code NDA_DST}: the neighbour's address. */
    static final int NDA_DST = 1;
    /** {@code NDA_LLADDR}: its link-layer address. */
    static final int NDA_LLADDR = 2;
    /** {@code NDA_CACHEINFO}: {@code struct nda_cacheinfo}, ages in clock ticks (1/100 s). */
    static final int NDA_CACHEINFO = 3;
    /** {@code NUD_PROBE}: being asked again, by unicast, whether it is still there. */
    static final int NUD_PROBE = 0x10;
    /** {@code NUD_PERMANENT}: what {@code ip neigh replace ... use} names, which the kernel ignores for a use. */
    static final int NUD_PERMANENT = 0x80;
    /** {@code NTF_USE}: the request is a use of the entry, which starts resolving it if it is not valid. */
    static final int NTF_USE = 0x01;
    /** How long a clock tick of {@code nda_cacheinfo} is (USER_HZ = 100). */
    static final Duration CLOCK_TICK = Duration.ofMillis(10);
    /** {@code NUD_FAILED}: it did not answer address resolution. */
    static final int NUD_FAILED = 0x20;
    /** {@code NUD_NOARP} and {@code NUD_PERMANENT}: entries that are not resolved, so never fail. */
    static final int NUD_NOARP = 0x40;
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

    /** {@code ip rule add pref P fwmark M lookup T proto N} (or {@code from PREFIX}); refused if it exists. */
    public void addRule(FibRule rule) {
        connection.execute(seq -> rule(RTM_NEWRULE, CREATE, seq, rule, true));
    }

    /** {@code ip rule del pref P fwmark M lookup T proto N}: only a rule of that owner. */
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

    /**
     * {@code ip [-6] route del default table T proto P}: the table's default route, whatever its next hops, if it is
     * owned by {@code protocol}.
     */
    public void deleteDefaultRoute(Family family, int table, int protocol) {
        connection.execute(seq -> {
            MessageWriter message = new MessageWriter(RTM_DELROUTE, DELETE, seq);
            Route.encodeDeleteDefault(message, family, table, protocol);
            return message.bytes();
        });
    }

    /** {@code ip [-6] route show table T}: the table's routes through a gateway (direct and local ones left out). */
    public List<Route> routes(Family family, int table) {
        return routes(family).stream().filter(route -> route.table() == table).toList();
    }

    /**
     * {@code ip [-6] route show table all}: every route through a gateway, in every table (direct and local ones
     * left out), in one dump.
     */
    public List<Route> routes(Family family) {
        List<Route> routes = new ArrayList<>();
        for (ByteBuffer message : connection.dump(seq -> new MessageWriter(RTM_GETROUTE, DUMP, seq)
                .u8(AddressBytes.family(family)).put(new byte[Route.HEADER - 1]).bytes())) {
            if (Short.toUnsignedInt(message.getShort(4)) == RTM_NEWROUTE) {
                Route route = Route.decode(message, MessageWriter.NLMSG_HDRLEN, message.limit());
                if (route != null) {
                    routes.add(route);
                }
            }
        }
        return routes;
    }

    /**
     * {@code ip route get ADDRESS}: the interface this host would send a packet to {@code destination} by, after its
     * policy rules and tables.
     *
     * @return the interface's index, or 0 when the kernel has no route there (it answers {@code Network is
     *         unreachable})
     */
    public int outputInterface(IpAddress destination) {
        List<ByteBuffer> answer = new ArrayList<>();
        try {
            connection.execute(seq -> {
                MessageWriter message = new MessageWriter(RTM_GETROUTE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK,
                        seq);
                Route.encodeLookup(message, destination);
                return message.bytes();
            }, message -> {
                if (Short.toUnsignedInt(message.getShort(4)) == RTM_NEWROUTE) {
                    answer.add(message);
                }
            });
        } catch (NetlinkException e) {
            return 0;
        }
        return answer.isEmpty() ? 0 : Route.outputInterface(answer.get(0), MessageWriter.NLMSG_HDRLEN,
                answer.get(0).limit());
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

    /**
     * {@code ip -o addr show}: every interface with its state and addresses (the loopback included).
     */
    public List<Link> links() {
        Map<Integer, Link> byIndex = new TreeMap<>();
        for (ByteBuffer message : connection.dump(seq -> new MessageWriter(RTM_GETLINK, DUMP, seq)
                .put(new byte[IFINFOMSG]).bytes())) {
            if (Short.toUnsignedInt(message.getShort(4)) != RTM_NEWLINK) {
                continue;
            }
            int at = MessageWriter.NLMSG_HDRLEN;
            int index = message.getInt(at + 4);
            int flags = message.getInt(at + 8);
            String name = null;
            int mtu = 0;
            AttributeReader attributes = new AttributeReader(message, at + IFINFOMSG, message.limit());
            while (attributes.next()) {
                if (attributes.type() == IFLA_IFNAME) {
                    name = attributes.string();
                } else if (attributes.type() == IFLA_MTU) {
                    mtu = attributes.u32();
                }
            }
            if (name != null) {
                byIndex.put(index, new Link(name, index, (flags & IFF_UP) != 0, mtu, List.of()));
            }
        }
        Map<Integer, List<Cidr>> addresses = new HashMap<>();
        for (ByteBuffer message : connection.dump(seq -> new MessageWriter(RTM_GETADDR, DUMP, seq)
                .put(new byte[IFADDRMSG]).bytes())) {
            if (Short.toUnsignedInt(message.getShort(4)) != RTM_NEWADDR) {
                continue;
            }
            int at = MessageWriter.NLMSG_HDRLEN;
            Family family = AddressBytes.family(Byte.toUnsignedInt(message.get(at)));
            int prefixLength = Byte.toUnsignedInt(message.get(at + 1));
            int index = message.getInt(at + 4);
            byte[] address = null;
            byte[] local = null;
            AttributeReader attributes = new AttributeReader(message, at + IFADDRMSG, message.limit());
            while (attributes.next()) {
                if (attributes.type() == IFA_ADDRESS) {
                    address = attributes.bytes();
                } else if (attributes.type() == IFA_LOCAL) {
                    local = attributes.bytes();
                }
            }
            byte[] own = local != null ? local : address;
            if (own != null) {
                addresses.computeIfAbsent(index, i -> new ArrayList<>())
                        .add(new Cidr(AddressBytes.read(family, own), prefixLength));
            }
        }
        List<Link> links = new ArrayList<>();
        byIndex.values().forEach(link -> links.add(new Link(link.name(), link.index(), link.up(), link.mtu(),
                addresses.getOrDefault(link.index(), List.of()))));
        return links;
    }

    /** {@code ip neigh} and {@code ip -6 neigh}: the neighbour table, resolved and failed entries. */
    public List<Neighbour> neighbours() {
        List<Neighbour> neighbours = new ArrayList<>();
        for (ByteBuffer message : connection.dump(seq -> new MessageWriter(RTM_GETNEIGH, DUMP, seq)
                .put(new byte[NDMSG]).bytes())) {
            if (Short.toUnsignedInt(message.getShort(4)) != RTM_NEWNEIGH) {
                continue;
            }
            int at = MessageWriter.NLMSG_HDRLEN;
            int af = Byte.toUnsignedInt(message.get(at));
            if (af != AddressBytes.AF_INET && af != AddressBytes.AF_INET6) {
                continue;
            }
            Family family = AddressBytes.family(af);
            int index = message.getInt(at + 4);
            int state = Short.toUnsignedInt(message.getShort(at + 8));
            byte[] address = null;
            byte[] lladdr = null;
            Duration heardAgo = null;
            AttributeReader attributes = new AttributeReader(message, at + NDMSG, message.limit());
            while (attributes.next()) {
                if (attributes.type() == NDA_DST) {
                    address = attributes.bytes();
                } else if (attributes.type() == NDA_LLADDR) {
                    lladdr = attributes.bytes();
                } else if (attributes.type() == NDA_CACHEINFO) {
                    heardAgo = CLOCK_TICK.multipliedBy(Integer.toUnsignedLong(attributes.u32()));
                }
            }
            if (address == null || (state & NUD_NOARP) != 0) {
                continue;
            }
            String mac = null;
            if (lladdr != null && lladdr.length == 6) {
                StringBuilder text = new StringBuilder();
                for (byte octet : lladdr) {
                    text.append(text.length() > 0 ? ":" : "").append(String.format("%02x", octet & 0xFF));
                }
                mac = text.toString();
            }
            neighbours.add(new Neighbour(AddressBytes.read(family, address), index, (state & NUD_FAILED) != 0,
                    (state & NUD_PERMANENT) != 0, mac, heardAgo));
        }
        return neighbours;
    }

    /**
     * {@code ip neigh replace ADDRESS dev D lladdr MAC nud probe}: the kernel asks the neighbour at once, by unicast,
     * whether it is still there, and marks it reachable when it answers (or failed after its probes).
     */
    public void probeNeighbour(Family family, int interfaceIndex, IpAddress address, String mac) {
        connection.execute(seq -> neighbour(seq, family, interfaceIndex, address, NUD_PROBE, 0)
                .attribute(NDA_LLADDR, macBytes(mac)).bytes());
    }

    /**
     * {@code ip neigh replace ADDRESS dev D use}: a use of the entry, as a packet to the neighbour would make one;
     * the kernel starts resolving it (multicast ARP or neighbour solicitation) when it is not valid.
     */
    public void resolveNeighbour(Family family, int interfaceIndex, IpAddress address) {
        connection.execute(seq -> neighbour(seq, family, interfaceIndex, address, NUD_PERMANENT, NTF_USE).bytes());
    }

    private static MessageWriter neighbour(int seq, Family family, int interfaceIndex, IpAddress address, int state,
                                           int flags) {
        return new MessageWriter(RTM_NEWNEIGH, REPLACE, seq)
                .u8(AddressBytes.family(family)).u8(0).u16(0) // family, pad1, pad2
                .u32(interfaceIndex)
                .u16(state).u8(flags).u8(0) // state, flags, type
                .attribute(NDA_DST, AddressBytes.of(address));
    }

    private static byte[] macBytes(String mac) {
        String[] octets = mac.split(":");
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) Integer.parseInt(octets[i], 16);
        }
        return bytes;
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
