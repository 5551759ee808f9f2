package io.statelesslb.nfqueue.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules and routes in a real kernel: a network namespace of the test's own with a veth pair, checked against what
 * {@code ip} reads back. Needs root (to create the namespace); elsewhere it is skipped with the reason.
 */
class RtnetlinkKernelTest {

    private static final int PROTO = 115;

    private TestNamespace namespace;
    private Rtnetlink rtnetlink;

    @BeforeEach
    void createNamespace() {
        namespace = TestNamespace.create("slb-rtnl");
        for (String command : List.of("link add c0 type veth peer name c1", "addr add 172.16.0.4/24 dev c0",
                "addr add fd00::4/64 dev c0 nodad", "link set c0 up", "link set c1 up",
                "link add g0 type veth peer name g1", "addr add 169.254.100.1/24 dev g0", "link set g0 up",
                "link set g1 up")) {
            namespace.ip(command.split(" "));
        }
        rtnetlink = new Rtnetlink(namespace.socket(Netlink.NETLINK_ROUTE), 1);
    }

    @AfterEach
    void deleteNamespace() {
        if (rtnetlink != null) {
            rtnetlink.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void rulesAreAddedWithTheirOwnerListedRefusedTwiceAndDeleted() {
        FibRule target = FibRule.fwmark(Family.IPV4, 99, 0x1389, 5001, PROTO);
        FibRule replies = FibRule.from(Family.IPV6, 100, Cidr.parse("2000::1/128").get(), 4096, PROTO);
        rtnetlink.addRule(target);
        rtnetlink.addRule(replies);
        assertThat(namespace.ip("rule")).contains("99:\tfrom all fwmark 0x1389 lookup 5001 proto 115\n");
        assertThat(namespace.ip("-6", "rule")).contains("100:\tfrom 2000::1 lookup 4096 proto 115\n");
        assertThat(rtnetlink.rules(Family.IPV4)).contains(target);
        assertThat(rtnetlink.rules(Family.IPV6)).contains(replies);

        assertThatThrownBy(() -> rtnetlink.addRule(target)).isInstanceOfSatisfying(NetlinkException.class, e -> {
            assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST);
            assertThat(e).hasMessage("RTNETLINK answers: File exists");
        });

        rtnetlink.deleteRule(target);
        assertThat(namespace.ip("rule")).doesNotContain("fwmark 0x1389");
        assertThat(rtnetlink.rules(Family.IPV4)).doesNotContain(target);
        assertThatThrownBy(() -> rtnetlink.deleteRule(target)).isInstanceOf(NetlinkException.class)
                .hasMessageStartingWith("RTNETLINK answers: ");
    }

    @Test
    void aRuleOfAnotherOwnerIsNotDeletedByOurs() {
        namespace.ip("rule", "add", "pref", "99", "fwmark", "0x1389", "lookup", "5001");
        assertThatThrownBy(() -> rtnetlink.deleteRule(FibRule.fwmark(Family.IPV4, 99, 0x1389, 5001, PROTO)))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e.errno()).isEqualTo(NetlinkException.ENOENT));
        assertThat(namespace.ip("rule")).contains("99:\tfrom all fwmark 0x1389 lookup 5001\n");
    }

    @Test
    void routesAreReplacedWithTheirOwnerListedAndDeletedOnlyWhenOurs() {
        int conduit = rtnetlink.interfaceIndex("c0");
        int gateways = rtnetlink.interfaceIndex("g0");
        assertThat(namespace.ip("-o", "link", "show", "c0")).startsWith(conduit + ": c0@c1:");
        Route target = Route.defaultRoute(Family.IPV4, 5001, List.of(new Route.Nexthop(ip("172.16.0.2"), conduit)),
                PROTO);
        Route target6 = Route.defaultRoute(Family.IPV6, 5001, List.of(new Route.Nexthop(ip("fd00::2"), conduit)),
                PROTO);
        rtnetlink.replaceRoute(target);
        rtnetlink.replaceRoute(target6);
        assertThat(namespace.ip("route", "show", "table", "5001"))
                .isEqualTo("default via 172.16.0.2 dev c0 proto 115\n");
        assertThat(namespace.ip("-6", "route", "show", "table", "5001"))
                .isEqualTo("default via fd00::2 dev c0 proto 115 metric 1024 pref medium\n");
        assertThat(rtnetlink.routes(Family.IPV4, 5001)).containsExactly(target);
        assertThat(rtnetlink.routes(Family.IPV6, 5001)).containsExactly(target6);

        Route ecmp = Route.defaultRoute(Family.IPV4, 4096, List.of(new Route.Nexthop(ip("169.254.100.150"), gateways),
                new Route.Nexthop(ip("169.254.100.151"), gateways)), PROTO);
        rtnetlink.replaceRoute(ecmp);
        rtnetlink.replaceRoute(ecmp);
        assertThat(namespace.ip("route", "show", "table", "4096")).isEqualTo("default proto 115\n"
                + "\tnexthop via 169.254.100.150 dev g0 weight 1\n\tnexthop via 169.254.100.151 dev g0 weight 1\n");
        assertThat(rtnetlink.routes(Family.IPV4, 4096)).containsExactly(ecmp);

        rtnetlink.deleteDefaultRoute(Family.IPV4, 5001, PROTO);
        rtnetlink.deleteDefaultRoute(Family.IPV6, 5001, PROTO);
        assertThat(rtnetlink.routes(Family.IPV4, 5001)).isEmpty();
        assertThat(rtnetlink.routes(Family.IPV6, 5001)).isEmpty();
        assertThatThrownBy(() -> rtnetlink.deleteDefaultRoute(Family.IPV4, 5001, PROTO))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e).hasMessage("RTNETLINK answers: No such process"));

        namespace.ip("route", "add", "default", "via", "172.16.0.3", "dev", "c0", "table", "5002");
        assertThatThrownBy(() -> rtnetlink.deleteDefaultRoute(Family.IPV4, 5002, PROTO))
                .as("someone else's route stays").isInstanceOf(NetlinkException.class);
        assertThat(rtnetlink.routes(Family.IPV4, 5002)).extracting(Route::protocol).containsExactly(3);
        assertThatThrownBy(() -> rtnetlink.interfaceIndex("nope")).isInstanceOf(NetlinkException.class)
                .hasMessageStartingWith("RTNETLINK answers: ");
    }

    @Test
    void aNextHopWhoseDeviceIsDownIsNotReadBack() {
        int conduit = rtnetlink.interfaceIndex("c0");
        int gateways = rtnetlink.interfaceIndex("g0");
        rtnetlink.replaceRoute(Route.defaultRoute(Family.IPV4, 4096, List.of(
                new Route.Nexthop(ip("172.16.0.2"), conduit), new Route.Nexthop(ip("169.254.100.150"), gateways)),
                PROTO));
        rtnetlink.replaceRoute(Route.defaultRoute(Family.IPV4, 5001, List.of(new Route.Nexthop(ip("172.16.0.2"),
                conduit)), PROTO));
        namespace.ip("link", "set", "c0", "down");
        assertThat(rtnetlink.routes(Family.IPV4, 4096)).singleElement().extracting(Route::nexthops)
                .isEqualTo(List.of(new Route.Nexthop(ip("169.254.100.150"), gateways)));
        assertThat(rtnetlink.routes(Family.IPV4, 5001)).as("flushed by the kernel").isEmpty();
    }

    @Test
    void linksAreReadWithTheirStateMtuAndAddresses() {
        namespace.ip("link", "set", "c0", "mtu", "1400");
        namespace.ip("link", "set", "g1", "down");
        List<Link> links = rtnetlink.links();
        assertThat(links).extracting(Link::name).contains("lo", "c0", "c1", "g0", "g1");
        Link c0 = links.stream().filter(link -> link.name().equals("c0")).findFirst().get();
        assertThat(c0.up()).isTrue();
        assertThat(c0.mtu()).isEqualTo(1400);
        assertThat(c0.index()).isEqualTo(rtnetlink.interfaceIndex("c0"));
        assertThat(c0.addresses()).contains(Cidr.parse("172.16.0.4/24").get(), Cidr.parse("fd00::4/64").get());
        assertThat(links.stream().filter(link -> link.name().equals("g1")).findFirst().get().up()).isFalse();
    }

    @Test
    void neighboursAreReadResolvedOrFailed() {
        namespace.ip("neigh", "add", "172.16.0.8", "dev", "c0", "lladdr", "02:fe:72:70:fd:55", "nud", "reachable");
        namespace.ip("neigh", "add", "172.16.0.9", "dev", "c0", "nud", "failed");
        int c0 = rtnetlink.interfaceIndex("c0");
        assertThat(rtnetlink.neighbours()).extracting(n -> n.address() + " " + n.interfaceIndex() + " " + n.failed()
                + " " + n.mac()).contains("172.16.0.8 " + c0 + " false 02:fe:72:70:fd:55",
                "172.16.0.9 " + c0 + " true null");
        assertThat(rtnetlink.neighbours()).filteredOn(n -> n.address().equals(ip("172.16.0.8"))).singleElement()
                .satisfies(n -> assertThat(n.heardAgo()).isLessThan(java.time.Duration.ofSeconds(2)));
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).get();
    }
}
