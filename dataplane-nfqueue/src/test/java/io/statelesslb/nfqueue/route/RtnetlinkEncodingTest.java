package io.statelesslb.nfqueue.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.RecordingTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules and routes are encoded byte for byte as {@code ip} (iproute2 6.1) encodes them. The expected bytes are the
 * requests {@code strace -e trace=sendmsg -e write=3 ip ...} printed for the command named above each, with the
 * sequence number the tests give (0x6b0867a6) in place of that run's; interface 3 was the conduit's veth, 5 the
 * gateways'.
 */
class RtnetlinkEncodingTest {

    private static final int SEQUENCE = 0x6b0867a6;
    /** The tag of stateless-lb's rules and routes ({@code proto 115}). */
    private static final int PROTO = 115;

    private final RecordingTransport kernel = new RecordingTransport();
    private final Rtnetlink rtnetlink = new Rtnetlink(kernel, SEQUENCE);

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).get();
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).get();
    }

    @Test
    void aTargetsRuleIsWhatIpRuleAddSends() {
        // ip rule add pref 99 fwmark 0x1389 lookup 5001 proto 115
        rtnetlink.addRule(FibRule.fwmark(Family.IPV4, 99, 0x1389, 5001, PROTO));
        assertThat(kernel.sentHex()).containsExactly("3c000000200005" + "06a667086b00000000"
                + "020000000000000100000000" + "0800060063000000" + "08000a0089130000" + "08000f0089130000"
                + "0500150073000000");
    }

    @Test
    void aVipsReplyRuleIsWhatIpRuleAddFromSends() {
        // ip -6 rule add pref 100 from 2000::1 lookup 4096 proto 115
        rtnetlink.addRule(FibRule.from(Family.IPV6, 100, cidr("2000::1/128"), 4096, PROTO));
        assertThat(kernel.sentHex()).containsExactly("48000000200005" + "06a667086b00000000"
                + "0a0080000000000100000000" + "0800060064000000"
                + "1400020020000000000000000000000000000001" + "08000f0000100000" + "0500150073000000");
    }

    @Test
    void theRulesOfTheLoadBalancersOwnIcmpAreWhatIpRuleAddSends() {
        // ip rule add pref 101 fwmark 0/0xffffffff ipproto icmp lookup main suppress_prefixlength 0 proto 115
        rtnetlink.addRule(new FibRule(Family.IPV4, 101, 0, true, null, 1, 254, 0, PROTO));
        // ip rule add pref 102 fwmark 0/0xffffffff ipproto icmp lookup 4096 proto 115
        rtnetlink.addRule(new FibRule(Family.IPV4, 102, 0, true, null, 1, 4096, -1, PROTO));
        // ip -6 rule add pref 101 fwmark 0/0xffffffff ipproto ipv6-icmp lookup main suppress_prefixlength 0 proto 115
        rtnetlink.addRule(new FibRule(Family.IPV6, 101, 0, true, null, 58, 254, 0, PROTO));
        assertThat(kernel.sentHex()).containsExactly(
                "4c000000200005" + "06a667086b00000000" + "02000000fe00000100000000" + "0800060065000000"
                        + "08000a0000000000" + "08001000ffffffff" + "0500160001000000" + "08000e0000000000"
                        + "0500150073000000",
                "4c000000200005" + "06a767086b00000000" + "020000000000000100000000" + "0800060066000000"
                        + "08000a0000000000" + "08001000ffffffff" + "0500160001000000" + "08000f0000100000"
                        + "0500150073000000",
                "4c000000200005" + "06a867086b00000000" + "0a000000fe00000100000000" + "0800060065000000"
                        + "08000a0000000000" + "08001000ffffffff" + "050016003a000000" + "08000e0000000000"
                        + "0500150073000000");
    }

    @Test
    void deletingARuleLeavesItsActionUnspecifiedAsIpRuleDelDoes() {
        // ip rule del pref 99 fwmark 0x1389 lookup 5001 proto 115 (RTM_DELRULE, NLM_F_REQUEST|NLM_F_ACK, FR_ACT_UNSPEC)
        rtnetlink.deleteRule(FibRule.fwmark(Family.IPV4, 99, 0x1389, 5001, PROTO));
        assertThat(kernel.sentHex()).containsExactly("3c000000210005" + "00a667086b00000000"
                + "020000000000000000000000" + "0800060063000000" + "08000a0089130000" + "08000f0089130000"
                + "0500150073000000");
    }

    @Test
    void aTargetsRouteIsWhatIpRouteReplaceSends() {
        // ip route replace default via 172.16.0.2 dev veth0 table 5001 proto 115
        rtnetlink.replaceRoute(Route.defaultRoute(Family.IPV4, 5001, List.of(new Route.Nexthop(ip("172.16.0.2"), 3)),
                PROTO));
        // ip -6 route replace default via fd00::2 dev veth0 table 5001 proto 115
        rtnetlink.replaceRoute(Route.defaultRoute(Family.IPV6, 5001, List.of(new Route.Nexthop(ip("fd00::2"), 3)),
                PROTO));
        assertThat(kernel.sentHex()).containsExactly(
                "34000000180005" + "05a667086b00000000" + "020000000073000100000000"
                        + "08000500ac100002" + "08000f0089130000" + "0800040003000000",
                "54000000180005" + "05a767086b00000000" + "0a0000000073000100000000"
                        + "1400010000000000000000000000000000000000"
                        + "14000500fd000000000000000000000000000002" + "08000f0089130000" + "0800040003000000");
    }

    @Test
    void theGatewaysRouteIsWhatIpRouteReplaceWithNexthopsSends() {
        // ip route replace default table 4096 proto 115 nexthop via 169.254.100.150 dev veth2 weight 1
        //                                                nexthop via 169.254.100.151 dev veth2 weight 1
        rtnetlink.replaceRoute(Route.defaultRoute(Family.IPV4, 4096, List.of(
                new Route.Nexthop(ip("169.254.100.150"), 5), new Route.Nexthop(ip("169.254.100.151"), 5)), PROTO));
        assertThat(kernel.sentHex()).containsExactly("48000000180005" + "05a667086b00000000"
                + "020000000073000100000000" + "08000f0000100000"
                + "24000900" + "1000000005000000" + "08000500a9fe6496" + "1000000005000000" + "08000500a9fe6497");
    }

    @Test
    void deletingATablesDefaultRouteNamesItsOwnerAsIpRouteDelDoes() {
        // ip route del default table 5001 proto 115 (any scope: RT_SCOPE_NOWHERE)
        rtnetlink.deleteDefaultRoute(Family.IPV4, 5001, PROTO);
        // ip -6 route del default table 5001 proto 115 (with the destination ::/0)
        rtnetlink.deleteDefaultRoute(Family.IPV6, 5001, PROTO);
        assertThat(kernel.sentHex()).containsExactly(
                "24000000190005" + "00a667086b00000000" + "020000000073ff0000000000" + "08000f0089130000",
                "38000000190005" + "00a767086b00000000" + "0a0000000073000000000000"
                        + "1400010000000000000000000000000000000000" + "08000f0089130000");
    }

    @Test
    void aNeighbourIsProbedAndResolvedAsIpNeighReplaceDoes() {
        // ip neigh replace 172.30.0.2 dev vp0 lladdr 02:fe:c2:14:ec:dd nud probe
        rtnetlink.probeNeighbour(Family.IPV4, 3, ip("172.30.0.2"), "02:fe:c2:14:ec:dd");
        // ip neigh replace 172.30.0.2 dev vp0 use
        rtnetlink.resolveNeighbour(Family.IPV4, 3, ip("172.30.0.2"));
        // ip -6 neigh replace fd30::2 dev vp0 use
        rtnetlink.resolveNeighbour(Family.IPV6, 3, ip("fd30::2"));
        assertThat(kernel.sentHex()).containsExactly(
                "300000001c000505" + "a667086b00000000" + "020000000300000010000000" + "08000100ac1e0002"
                        + "0a00020002fec214ecdd0000",
                "240000001c000505" + "a767086b00000000" + "020000000300000080000100" + "08000100ac1e0002",
                "300000001c000505" + "a867086b00000000" + "0a0000000300000080000100"
                        + "14000100fd300000000000000000000000000002");
    }

    @Test
    void whatIsEncodedDecodesBackToTheSameObject() {
        List<FibRule> rules = List.of(FibRule.fwmark(Family.IPV4, 99, 0x1389, 5001, PROTO),
                FibRule.from(Family.IPV6, 100, cidr("2000::1/128"), 4096, PROTO),
                new FibRule(Family.IPV4, 101, 0, true, null, 1, 254, 0, PROTO));
        for (FibRule rule : rules) {
            MessageWriter message = new MessageWriter(Rtnetlink.RTM_NEWRULE, 0, 1);
            rule.encode(message, true);
            ByteBuffer bytes = ByteBuffer.wrap(message.bytes()).order(ByteOrder.nativeOrder());
            assertThat(FibRule.decode(bytes, MessageWriter.NLMSG_HDRLEN, bytes.limit())).isEqualTo(rule);
        }
        List<Route> routes = List.of(
                Route.defaultRoute(Family.IPV4, 5001, List.of(new Route.Nexthop(ip("172.16.0.2"), 3)), PROTO),
                Route.defaultRoute(Family.IPV6, 5001, List.of(new Route.Nexthop(ip("fd00::2"), 3)), PROTO),
                Route.defaultRoute(Family.IPV4, 4096, List.of(new Route.Nexthop(ip("169.254.100.150"), 5),
                        new Route.Nexthop(ip("169.254.100.151"), 6)), PROTO),
                new Route(Family.IPV4, 7, cidr("10.1.0.0/16"), List.of(new Route.Nexthop(ip("10.0.0.1"), 2)), 3));
        for (Route route : routes) {
            MessageWriter message = new MessageWriter(Rtnetlink.RTM_NEWROUTE, 0, 1);
            route.encode(message);
            ByteBuffer bytes = ByteBuffer.wrap(message.bytes()).order(ByteOrder.nativeOrder());
            assertThat(Route.decode(bytes, MessageWriter.NLMSG_HDRLEN, bytes.limit())).isEqualTo(route);
        }
    }

    @Test
    void aRefusalCarriesTheErrnoAndTheWordsIpPrints() {
        kernel.refuseNext(NetlinkException.EEXIST);
        assertThatThrownBy(() -> rtnetlink.addRule(FibRule.fwmark(Family.IPV4, 99, 0x1389, 5001, PROTO)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(17);
                    assertThat(e).hasMessage("RTNETLINK answers: File exists");
                });
        rtnetlink.addRule(FibRule.fwmark(Family.IPV4, 98, 0x138a, 5002, PROTO));
        assertThat(kernel.sentHex()).hasSize(2);
        assertThat(HexFormat.of().parseHex(kernel.sentHex().get(1))[8]).as("the next sequence number")
                .isEqualTo((byte) 0xa7);
    }
}
