package io.statelesslb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.collection.TreeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedDataplaneTest {

    private final State seed = Scenarios.fold(Scenarios.seed());
    private final DataplaneSpec plan = Planner.plan(seed);

    @Test
    void appliesTheDiffFromNothingToTheSeedsPlan() {
        SimulatedDataplane dataplane = new SimulatedDataplane();
        List<Op> ops = Diff.diff(dataplane.actual(), plan);
        assertThat(dataplane.apply(ops)).isEqualTo(new ApplyResult.Applied(ops.size()));
        assertThat(dataplane.actual()).isEqualTo(plan);
    }

    @Test
    void refusesARouteThroughAnInterfaceThatIsDownAsTheKernelDoes() {
        SimulatedHost host = new SimulatedHost();
        host.interfaceUp("conduit-a--d7c4", 1500, "172.16.0.4/24");
        host.interfaceDown("conduit-a--d7c4");
        SimulatedDataplane dataplane = new SimulatedDataplane(host);
        RoutingTable table = new RoutingTable(Family.IPV4, 5069);
        ApplyResult result = dataplane.apply(List.of(new Op.SetRoute(table,
                TreeSet.of(new Nexthop(IpAddress.parse("172.16.0.6").get(), "conduit-a--d7c4")))));
        assertThat(result).isInstanceOfSatisfying(ApplyResult.Failed.class, failed -> assertThat(failed.refusals())
                .extracting(ApplyResult.Refusal::error).containsExactly("RTNETLINK answers: Network is down"));
        assertThat(dataplane.actual().routes()).isEmpty();
    }

    @Test
    void anInterfaceGoingDownTakesItsRoutesAndIpv6AddressesWithIt() {
        SimulatedHost host = new SimulatedHost();
        host.interfaceUp("conduit-a--d7c4", 1500, "172.16.0.4/24", "fd00::4/64");
        host.interfaceUp("conduit-a--f75b", 1500, "172.16.1.4/24");
        SimulatedDataplane dataplane = new SimulatedDataplane(host);
        dataplane.apply(List.of(
                new Op.SetRoute(new RoutingTable(Family.IPV4, 5069),
                        TreeSet.of(new Nexthop(IpAddress.parse("172.16.0.6").get(), "conduit-a--d7c4"))),
                new Op.SetRoute(new RoutingTable(Family.IPV4, 5044),
                        TreeSet.of(new Nexthop(IpAddress.parse("172.16.1.6").get(), "conduit-a--f75b")))));
        host.interfaceDown("conduit-a--d7c4");
        assertThat(dataplane.actual().routes().keySet()).containsExactly(new RoutingTable(Family.IPV4, 5044));
        assertThat(host.interfaces().get("conduit-a--d7c4").get().addresses().map(Object::toString))
                .containsExactly("172.16.0.4/24");
    }

    @Test
    void rendersTheSeedsRulesRoutesSetsAndMaglevHeader() {
        assertThat(LinuxViews.ipRules(plan, Family.IPV6)).isEqualTo("""
                96:\tfrom all fwmark 0x13d1 lookup 5073 proto 115
                97:\tfrom all fwmark 0x13b4 lookup 5044 proto 115
                98:\tfrom all fwmark 0x13c6 lookup 5062 proto 115
                99:\tfrom all fwmark 0x13cd lookup 5069 proto 115
                100:\tfrom 2000::1 lookup 4096 proto 115
                101:\tfrom all fwmark 0 ipproto ipv6-icmp lookup main suppress_prefixlength 0 proto 115
                102:\tfrom all fwmark 0 ipproto ipv6-icmp lookup 4096 proto 115
                """);
        assertThat(LinuxViews.ipRoutes(plan, Family.IPV6, 5069))
                .isEqualTo("default via fd00::6 dev conduit-a--d7c4 proto 115 metric 1024 pref medium\n");
        assertThat(LinuxViews.ipRoutes(plan, Family.IPV4, 4096))
                .isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
        assertThat(LinuxViews.nftRuleset(plan)).contains("\t\telements = { 20.0.0.1 }\n")
                .contains("\t\tip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3\n");
        StreamPlan stream = plan.streams().get("stream-a-i").get();
        assertThat(LinuxViews.nfqlbShow(stream, new EngineTables().maglev(stream))).isEqualTo("""
                m: tshm-stream-a-i
                Fw: own=0
                Maglev: M=9973, N=100
                Lookup: 68 68 68 72 43 61 43 61 72 61 61 72 43 68 61 61 43 43 43 61 72 68 61 43 43...
                Active: 5044(43) 5062(61) 5069(68) 5073(72)
                """);
        assertThat(LinuxViews.nfqlbFlowList(plan)).contains("""
                  "dests": [
                    "::ffff:20.0.0.1/128",
                    "2000::1/128"
                  ],
                """);
    }
}
