package io.statelesslb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.util.ArrayList;
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
    void stopsAtTheFirstRefusedOpKeepingThoseBeforeIt() {
        SimulatedDataplane dataplane = new SimulatedDataplane();
        dataplane.apply(Diff.diff(dataplane.actual(), plan));
        DataplaneSpec before = dataplane.actual();
        List<Op> ops = new ArrayList<>(Diff.diff(plan,
                Planner.plan(Scenarios.after(seed, new UnregisterTarget("stream-a-i", 44)))));
        ops.add(new Op.DeleteMaglev("stream-a-i"));
        ApplyResult result = dataplane.apply(ops);
        assertThat(result).isInstanceOfSatisfying(ApplyResult.Failed.class, failed -> {
            assertThat(failed.applied()).isEqualTo(ops.size() - 1);
            assertThat(failed.error()).isEqualTo("stream stream-a-i still has active slots or paths");
        });
        assertThat(dataplane.actual()).isNotEqualTo(before);
        assertThat(dataplane.actual().streams().get("stream-a-i").get().slots().containsKey(43)).isFalse();
    }

    @Test
    void rendersTheSeedsRulesRoutesSetsAndMaglevHeader() {
        assertThat(LinuxViews.ipRules(plan, Family.IPV6)).isEqualTo("""
                96: from all fwmark 0x13d1 lookup 5073
                97: from all fwmark 0x13b4 lookup 5044
                98: from all fwmark 0x13c6 lookup 5062
                99: from all fwmark 0x13cd lookup 5069
                100: from 2000::1 lookup 4096
                """);
        assertThat(LinuxViews.ipRoutes(plan, Family.IPV6, 5069))
                .isEqualTo("default via fd00::6 dev conduit-a--d7c4 metric 1024 pref medium\n");
        assertThat(LinuxViews.ipRoutes(plan, Family.IPV4, 4096))
                .isEqualTo("default via 169.254.100.150 dev ext-vlan0 proto bird metric 32\n");
        assertThat(LinuxViews.nftRuleset(plan)).contains("\t\telements = { 20.0.0.1 }\n")
                .contains("\t\tip6 daddr @ipv6-vips counter packets 0 bytes 0 queue to 0-3\n");
        StreamPlan stream = plan.streams().get("stream-a-i").get();
        assertThat(LinuxViews.nfqlbShow(stream, new EngineTables(false).maglev(stream))).isEqualTo("""
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
