package io.statelesslb.nfqueue.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import io.vavr.collection.TreeMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's trench on a real kernel: its interfaces built in a network namespace, its plan applied, and what
 * {@code ip} and {@code nft} print compared with what the renderer prints for the same plan, line for line; then a
 * client's TCP SYN to the VIP is queued, marked by the engine, and routed to its target. Needs root; elsewhere
 * skipped with the reason.
 */
class KernelDataplaneTest {

    private SeedMachine machine;
    private TestNamespace lb;
    private KernelDataplane dataplane;

    @BeforeEach
    void buildTheSeedsMachine() {
        machine = SeedMachine.build("slb-kdp");
        lb = machine.lb();
        dataplane = KernelDataplane.open(Path.of("/run/netns", lb.name()), Reachability.Settings.DEFAULTS,
                new StandInBird(lb));
    }

    @AfterEach
    void tearDown() {
        if (dataplane != null) {
            dataplane.close();
        }
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void theSeedsPlanReadsBackFromTheKernelAsTheSimulatorRendersIt() {
        DataplaneSpec plan = Planner.plan(Scenarios.fold(Scenarios.seed()));
        assertThat(dataplane.apply(Diff.diff(dataplane.actual(), plan))).isInstanceOf(ApplyResult.Applied.class);
        assertThat(dataplane.actual()).isEqualTo(plan);
        assertThat(ours(lb.ip("rule"))).isEqualTo(stripped(LinuxViews.ipRules(plan, Family.IPV4)));
        assertThat(ours(lb.ip("-6", "rule"))).isEqualTo(stripped(LinuxViews.ipRules(plan, Family.IPV6)));
        for (Family family : Family.values()) {
            String flag = family == Family.IPV6 ? "-6" : "-4";
            for (int table : LinuxViews.tables(plan, family)) {
                assertThat(stripped(lb.ip(flag, "route", "show", "table", Integer.toString(table))))
                        .as("%s table %d", family, table)
                        .isEqualTo(stripped(LinuxViews.ipRoutes(plan, family, table)));
            }
        }
        assertThat(asNative(lb.exec("nft", "list", "ruleset"))).isEqualTo(LinuxViews.nftRuleset(plan));

        State without44 = Scenarios.after(Scenarios.fold(Scenarios.seed()), new UnregisterTarget("stream-a-i", 44));
        DataplaneSpec smaller = Planner.plan(without44);
        assertThat(dataplane.apply(Diff.diff(dataplane.actual(), smaller))).isInstanceOf(ApplyResult.Applied.class);
        assertThat(lb.ip("rule")).doesNotContain("lookup 5044");
        assertThat(lb.ip("route", "show", "table", "5044")).isBlank();
    }

    @Test
    void portTranslationsAreListedByNftAsTheRendererPrintsThemAndReadBack() {
        List<Command> commands = new ArrayList<>(Scenarios.seed());
        commands.add(new DefineVip("vip-range", "40.0.0.0/20"));
        commands.add(new DefineVip("vip-range-v6", "3000::/64"));
        commands.add(new DefineVip("vip-other", "50.0.0.1/32"));
        commands.add(new DefineConduit("conduit-a", "conduit-a-", List.of(
                new DefineConduit.DestinationPortNat("tcp", 80, 8080, List.of("vip-a-1-v4", "vip-a-1-v6")),
                new DefineConduit.DestinationPortNat("udp", 53, 5353, List.of("vip-range", "vip-range-v6")),
                new DefineConduit.DestinationPortNat("sctp", 3868, 3869, List.of("vip-range")))));
        DataplaneSpec plan = Planner.plan(Scenarios.fold(commands));
        assertThat(plan.portNats()).hasSize(5);
        assertThat(dataplane.apply(Diff.diff(dataplane.actual(), plan))).isInstanceOf(ApplyResult.Applied.class);
        assertThat(dataplane.actual()).isEqualTo(plan);
        assertThat(asNative(lb.exec("nft", "list", "ruleset"))).isEqualTo(LinuxViews.nftRuleset(plan));
    }

    @Test
    void cleanupRemovesEverythingOursAndNothingElse() {
        DataplaneSpec plan = Planner.plan(Scenarios.fold(Scenarios.seed()));
        assertThat(dataplane.apply(Diff.diff(dataplane.actual(), plan))).isInstanceOf(ApplyResult.Applied.class);
        lb.ip("rule", "add", "pref", "50", "fwmark", "0x99", "lookup", "7000");
        lb.ip("route", "add", "default", "via", "172.16.0.1", "dev", "conduit-a--d7c4", "table", "7000");
        lb.exec("nft", "add", "table", "inet", "someone-elses");
        // The gateways' table is BIRD's: its routes go when BIRD stops, never by our hand.
        int owned = plan.routes().keySet().count(table -> table.number() != RoutingTable.GATEWAYS);
        assertThat(dataplane.cleanup(true)).as("a dry run").hasSize(plan.rules().size() + owned + 3)
                .contains("ip rule del pref 97 fwmark 0x13b4 lookup 5044", "nft delete table inet meridio-nfqlb")
                .noneMatch(removed -> removed.contains("4096") && removed.contains("route"));
        assertThat(dataplane.actual().rules()).as("a dry run removes nothing").isEqualTo(plan.rules());

        dataplane.cleanup(false);
        DataplaneSpec left = dataplane.actual();
        assertThat(left.withRoutes(TreeMap.empty()).withGateways(TreeMap.empty()))
                .isEqualTo(DataplaneSpec.empty());
        assertThat(lb.ip("route", "show", "table", "4096")).contains("proto bird");
        assertThat(lb.ip("rule")).doesNotContain("proto 115").contains("50:\tfrom all fwmark 0x99 lookup 7000");
        assertThat(lb.ip("route", "show", "table", "7000")).contains("default via 172.16.0.1");
        assertThat(lb.exec("nft", "list", "tables")).isEqualTo("table inet someone-elses\n");
        assertThat(dataplane.cleanup(false)).as("nothing left").isEmpty();
    }

    @Test
    void aClientsSynIsQueuedMarkedByTheEngineAndRoutedToItsTarget() {
        DataplaneSpec plan = Planner.plan(Scenarios.fold(Scenarios.seed()));
        assertThat(dataplane.apply(Diff.diff(dataplane.actual(), plan))).isInstanceOf(ApplyResult.Applied.class);
        machine.countMarkedPackets();
        machine.clientConnects("20.0.0.1", 4000);
        assertThat(dataplane.packets()).as("packets the engine decided").isPositive();
        assertThat(machine.markedPackets()).containsPattern("meta mark != 0x00000000 counter packets [1-9]");
    }

    /** @return the rules without the kernel's own (local, main, default) */
    private static String ours(String rules) {
        return stripped(rules.lines().filter(rule -> !rule.matches("(0|32766|32767):.*"))
                .reduce("", (a, b) -> a + b + "\n"));
    }

    /**
     * On a kernel with only the xtables NFQUEUE target (no {@code nft_queue}), nft warns that the table looks like
     * iptables-nft's and prints the target as {@code libxtables: ...} then {@code queue num 0-3}: the rest of its
     * listing is what the native expression gives, which this puts back.
     */
    private static String asNative(String ruleset) {
        return ruleset.replaceAll("# Warning: table inet meridio-nfqlb is managed by iptables-nft, do not touch!\n", "")
                .replaceAll(" libxtables: [^\n]*\nqueue num ", " queue to ");
    }

    private static String stripped(String text) {
        return text.lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }
}
