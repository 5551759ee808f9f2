package io.statelesslb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.testing.Scenarios;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's scenario, built from events and applied to the simulator, renders as the seed's troubleshooting
 * guide shows the real system (shared/seed/stateless-lb-frontend-dataplane.txt). The guide's text lost its
 * indentation and lists neighbour tables in the kernel's hash order, so lines are compared stripped, and
 * neighbour tables as sets.
 */
class SeedRenderingTest {

    private DataplaneSpec applied;
    private final SimulatedHost host = new SimulatedHost();

    @BeforeEach
    void seedScenario() {
        SimulatedDataplane dataplane = new SimulatedDataplane();
        DataplaneSpec desired = Planner.plan(Scenarios.fold(Scenarios.seed()));
        dataplane.apply(Diff.diff(dataplane.actual(), desired));
        applied = dataplane.actual();
        host.neighbourReachable("172.16.1.6", "conduit-a--f75b", "02:fe:c2:14:ec:dd");
        host.neighbourReachable("172.16.1.8", "conduit-a--f75b", "02:fe:54:90:a2:4f");
        host.neighbourReachable("172.16.0.8", "conduit-a--d7c4", "02:fe:72:70:fd:55");
        host.neighbourReachable("172.16.0.6", "conduit-a--d7c4", "02:fe:d6:03:3b:84");
        host.neighbourReachable("169.254.100.150", "ext-vlan0", "02:42:ac:12:00:06");
        host.neighbourReachable("fd00:0:0:1::6", "conduit-a--f75b", "02:fe:c2:14:ec:dd");
        host.neighbourReachable("fd00:0:0:1::8", "conduit-a--f75b", "02:fe:54:90:a2:4f");
        host.neighbourReachable("fd00::8", "conduit-a--d7c4", "02:fe:72:70:fd:55");
        host.neighbourReachable("fd00::6", "conduit-a--d7c4", "02:fe:d6:03:3b:84");
        host.neighbourReachable("100:100::150", "ext-vlan0", "02:42:ac:12:00:06");
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).map(line -> line.replaceAll("\\s+", " ")).toList();
    }

    @Test
    void nftListRuleset() {
        assertThat(lines(LinuxViews.nftRuleset(applied))).containsExactlyElementsOf(lines("""
                table inet meridio-nfqlb {
                set ipv4-vips {
                type ipv4_addr
                flags interval
                elements = { 20.0.0.1 }
                }

                set ipv6-vips {
                type ipv6_addr
                flags interval
                elements = { 2000::1 }
                }

                chain nfqlb {
                type filter hook prerouting priority filter; policy accept;
                ip daddr @ipv4-vips counter packets 0 bytes 0 queue to 0-3
                ip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3
                }

                chain nfqlb-local {
                type filter hook output priority filter; policy accept;
                meta l4proto icmp ip daddr @ipv4-vips counter packets 0 bytes 0 queue to 0-3
                meta l4proto ipv6-icmp ip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3
                }
                }
                table inet meridio-nat {
                }
                table inet meridio-defrag {
                chain pre-defrag {
                type filter hook prerouting priority -500; policy accept;
                iifname "conduit-a-*" notrack
                }

                chain in {
                type filter hook prerouting priority raw; policy accept;
                notrack
                ct state untracked accept
                }

                chain out {
                type filter hook output priority raw; policy accept;
                notrack
                }
                }
                """));
    }

    // The seed's lines, as ip prints them (a tab after the priority), with the tag that marks them stateless-lb's.

    @Test
    void ipRulesBothFamilies() {
        String fwmarkRules = """
                96:\tfrom all fwmark 0x13d1 lookup 5073 proto 115
                97:\tfrom all fwmark 0x13b4 lookup 5044 proto 115
                98:\tfrom all fwmark 0x13c6 lookup 5062 proto 115
                99:\tfrom all fwmark 0x13cd lookup 5069 proto 115
                """;
        // After the seed's lines, the rules that send the load balancer's own ICMP errors back to clients.
        assertThat(LinuxViews.ipRules(applied, Family.IPV4)).isEqualTo(fwmarkRules
                + "100:\tfrom 20.0.0.1 lookup 4096 proto 115\n"
                + "101:\tfrom all fwmark 0 ipproto icmp lookup main suppress_prefixlength 0 proto 115\n"
                + "102:\tfrom all fwmark 0 ipproto icmp lookup 4096 proto 115\n");
        assertThat(LinuxViews.ipRules(applied, Family.IPV6)).isEqualTo(fwmarkRules
                + "100:\tfrom 2000::1 lookup 4096 proto 115\n"
                + "101:\tfrom all fwmark 0 ipproto ipv6-icmp lookup main suppress_prefixlength 0 proto 115\n"
                + "102:\tfrom all fwmark 0 ipproto ipv6-icmp lookup 4096 proto 115\n");
    }

    @Test
    void ipRouteShowTableForEveryTable() {
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV4, 5073))
                .isEqualTo("default via 172.16.1.8 dev conduit-a--f75b proto 115\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV4, 5044))
                .isEqualTo("default via 172.16.1.6 dev conduit-a--f75b proto 115\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV4, 5062))
                .isEqualTo("default via 172.16.0.8 dev conduit-a--d7c4 proto 115\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV4, 5069))
                .isEqualTo("default via 172.16.0.6 dev conduit-a--d7c4 proto 115\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV6, 5073))
                .isEqualTo("default via fd00:0:0:1::8 dev conduit-a--f75b proto 115 metric 1024 pref medium\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV6, 5044))
                .isEqualTo("default via fd00:0:0:1::6 dev conduit-a--f75b proto 115 metric 1024 pref medium\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV6, 5062))
                .isEqualTo("default via fd00::8 dev conduit-a--d7c4 proto 115 metric 1024 pref medium\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV6, 5069))
                .isEqualTo("default via fd00::6 dev conduit-a--d7c4 proto 115 metric 1024 pref medium\n");
        // The gateways' table is BIRD's, as in the seed: word for word.
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV4, 4096))
                .isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
        assertThat(LinuxViews.ipRoutes(applied, Family.IPV6, 4096))
                .isEqualTo("default via 100:100::150 dev ext-vlan0 proto bird metric 32 pref medium\n");
    }

    @Test
    void nfqlbFlowListAndShow() {
        assertThat(lines(LinuxViews.nfqlbFlowList(applied))).containsExactlyElementsOf(lines("""
                [{
                "name": "tshm-stream-a-i-flow-a-z-tcp",
                "priority": 1,
                "protocols": [ "tcp" ],
                "dests": [
                "::ffff:20.0.0.1/128",
                "2000::1/128"
                ],
                "dports": [
                "4000"
                ],
                "matches_count": 0,
                "user_ref": "tshm-stream-a-i"
                }]
                """));
        assertThat(LinuxViews.nfqlbShow(applied.streams().get("stream-a-i").get(),
                new EngineTables().maglev(applied.streams().get("stream-a-i").get())))
                .isEqualTo("""
                        m: tshm-stream-a-i
                        Fw: own=0
                        Maglev: M=9973, N=100
                        Lookup: 68 68 68 72 43 61 43 61 72 61 61 72 43 68 61 61 43 43 43 61 72 68 61 43 43...
                        Active: 5044(43) 5062(61) 5069(68) 5073(72)
                        """);
    }

    @Test
    void neighbourTables() {
        assertThat(lines(LinuxViews.ipNeighbours(host.machine(), applied, Family.IPV6)))
                .containsExactlyInAnyOrderElementsOf(lines("""
                fd00:0:0:1::6 dev conduit-a--f75b lladdr 02:fe:c2:14:ec:dd REACHABLE
                fd00:0:0:1::8 dev conduit-a--f75b lladdr 02:fe:54:90:a2:4f REACHABLE
                fd00::8 dev conduit-a--d7c4 lladdr 02:fe:72:70:fd:55 REACHABLE
                fd00::6 dev conduit-a--d7c4 lladdr 02:fe:d6:03:3b:84 REACHABLE
                100:100::150 dev ext-vlan0 lladdr 02:42:ac:12:00:06 router REACHABLE
                """));
        List<String> arp = lines(LinuxViews.procNetArp(host.machine()));
        assertThat(arp.get(0)).isEqualTo("IP address HW type Flags HW address Mask Device");
        assertThat(arp.subList(1, arp.size())).containsExactlyInAnyOrderElementsOf(lines("""
                172.16.1.6 0x1 0x2 02:fe:c2:14:ec:dd * conduit-a--f75b
                172.16.1.8 0x1 0x2 02:fe:54:90:a2:4f * conduit-a--f75b
                172.16.0.8 0x1 0x2 02:fe:72:70:fd:55 * conduit-a--d7c4
                172.16.0.6 0x1 0x2 02:fe:d6:03:3b:84 * conduit-a--d7c4
                169.254.100.150 0x1 0x2 02:42:ac:12:00:06 * ext-vlan0
                """));
    }
}
