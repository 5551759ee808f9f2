package io.statelesslb.domain.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteConduit;
import io.statelesslb.domain.command.DeleteGateway;
import io.statelesslb.domain.command.DeleteStream;
import io.statelesslb.domain.command.DeleteTrench;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.command.RecordApplyFailure;
import io.statelesslb.domain.command.RecordApplyRecovery;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.model.GatewayOptions;
import io.statelesslb.domain.model.LoadBalancerSettings;
import io.statelesslb.domain.model.PortNat;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.collection.List;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * The rules commands are decided by, and what their events do to the state: every problem named, nothing changed by a
 * rejection, and what history allocates (fwmarks, rule priorities) kept.
 */
class DecideEvolveTest {

    private final State seed = Scenarios.fold(Scenarios.seed());

    private static List<Problem> rejected(State state, Command command) {
        return Decider.decide(state, command).fold(problems -> problems, event -> {
            throw new AssertionError(command + " was accepted as " + event);
        });
    }

    private static State accepted(State state, Command command) {
        return state.evolve(Scenarios.event(state, command));
    }

    @Test
    void definitionsBeforeTheTrenchAreRejectedAsUnknownReference() {
        List<Problem> problems = rejected(State.empty(), new DefineConduit("conduit-a", ""));
        assertThat(problems).extracting(Problem::kind).containsExactly(ProblemKind.UNKNOWN_REFERENCE);
        assertThat(problems.head().message()).contains("no trench is defined");
    }

    @Test
    void oneDaemonServesOneTrench() {
        State state = accepted(State.empty(), new DefineTrench("trench-a"));
        assertThat(rejected(state, new DefineTrench("trench-b")).head().message())
                .isEqualTo("name=trench-b (expected: trench-a; this daemon serves trench trench-a)");
    }

    @Test
    void theLoadBalancersSettingsAreTheTrenchsAndSurviveItsRedefinition() {
        State state = accepted(State.empty(), new DefineTrench("t"));
        assertThat(state.trench().get().loadBalancer()).isEqualTo(LoadBalancerSettings.DEFAULTS);
        state = accepted(state, new ConfigureLoadBalancer("2:5", 2048, true, true, true, 7, 8, 9899, false));
        assertThat(state.trench().get().loadBalancer())
                .isEqualTo(new LoadBalancerSettings(2, 4, 2048, true, true, true, 7, 8, 9899, false));
        assertThat(accepted(state, new DefineTrench("t")).trench().get().loadBalancer().queues()).isEqualTo(4);
        assertThat(accepted(state, new ConfigureLoadBalancer("6", 1, false, false, false, 0, 0, 0, false)).trench()
                .get()
                .loadBalancer()).isEqualTo(new LoadBalancerSettings(6, 1, 1, false, false, false, 0, 0, 0, false));
    }

    @Test
    void badLoadBalancerSettingsAreRejectedEachNamed() {
        assertThat(rejected(State.empty(), new ConfigureLoadBalancer("0:3", 1024, false, false, false, 0, 0, 0, false))
                .head().message()).contains("no trench is defined");
        State trench = accepted(State.empty(), new DefineTrench("t"));
        assertThat(rejected(trench, new ConfigureLoadBalancer("3:1", 0, false, false, false, -1, 1L << 32, 70000,
                false))
                .map(Problem::message)).containsExactly(
                "queues=3:1 (expected: FIRST:LAST within 0..65535, such as 0:3, or one queue)",
                "queueLength=0 (expected: 1..1048576 packets)",
                "noLbFwmark=-1 (expected: 0..4294967295; 0 drops)",
                "noTargetsFwmark=4294967296 (expected: 0..4294967295; 0 drops)",
                "sctpUdpEncapsulationPort=70000 (expected: 0..65535; 0 for none)");
    }

    @Test
    void conduitInterfacePrefixDefaultsToItsNameAndADash() {
        State state = accepted(accepted(State.empty(), new DefineTrench("t")), new DefineConduit("conduit-a", null));
        assertThat(state.conduits().get("conduit-a").get().interfacePrefix()).isEqualTo("conduit-a-");
    }

    @Test
    void aConduitTranslatesPortsOfDefinedVipsAndKeepsThemUntilRedefined() {
        DefineConduit translating = new DefineConduit("conduit-a", "conduit-a-", java.util.List.of(
                new DefineConduit.DestinationPortNat("TCP", 80, 8080, java.util.List.of("vip-a-1-v4", "vip-a-1-v6"))));
        State state = accepted(seed, translating);
        assertThat(state.conduits().get("conduit-a").get().destinationPortNats()).containsExactly(
                new PortNat(Protocol.TCP, 80, 8080, java.util.List.of("vip-a-1-v4", "vip-a-1-v6")));
        assertThat(rejected(state, new DeleteVip("vip-a-1-v6")).map(Problem::message)).contains("vip=vip-a-1-v6 is"
                + " still used by the port translations of conduits conduit-a (expected: none; delete or change them"
                + " first)");
        State plain = accepted(state, new DefineConduit("conduit-a", "conduit-a-"));
        assertThat(plain.conduits().get("conduit-a").get().destinationPortNats()).isEmpty();
    }

    @Test
    void aBadPortTranslationIsRejectedWithEveryProblemNamed() {
        List<Problem> problems = rejected(seed, new DefineConduit("conduit-a", "conduit-a-", java.util.List.of(
                new DefineConduit.DestinationPortNat("icmp", 0, null, java.util.List.of()),
                new DefineConduit.DestinationPortNat("udp", 53, 5353, java.util.List.of("vip-a-1-v4", "nope")),
                new DefineConduit.DestinationPortNat("udp", 53, 53, java.util.List.of("vip-a-1-v4")))));
        assertThat(problems.map(Problem::message)).containsExactly(
                "protocol=icmp (expected: tcp, udp or sctp)",
                "destinationPortNats[0].port=0 (expected: 1..65535)",
                "destinationPortNats[0].targetPort is required (expected: a port 1..65535)",
                "destinationPortNats[0].vips is required (expected: the defined VIPs whose port is translated)",
                "vip=nope (expected: one of the defined vips: vip-a-1-v4, vip-a-1-v6)",
                "vip=vip-a-1-v4 udp port 53 is translated twice (expected: one target port for each VIP, protocol and"
                        + " port)");
        assertThat(problems.map(Problem::field)).containsExactly("destinationPortNats[0].protocol",
                "destinationPortNats[0].port", "destinationPortNats[0].targetPort", "destinationPortNats[0].vips",
                "destinationPortNats[1].vips[1]", "destinationPortNats[2]");
    }

    @Test
    void rejectionListsEveryProblemNotJustTheFirst() {
        DefineFlow bad = new DefineFlow("bad name", "no-such-stream", 1, java.util.List.of("tcpx"),
                java.util.List.of("10.0.0.0/33"), java.util.List.of(), java.util.List.of("70000"),
                java.util.List.of("no-such-vip"), java.util.List.of("tcp[13:3] = 1"));
        List<Problem> problems = rejected(seed, bad);
        assertThat(problems).extracting(Problem::field).containsExactly("name", "stream", "protocols[0]",
                "sourceSubnets[0]", "destinationPorts[0]", "vips[0]", "byteMatches[0]");
        assertThat(problems).extracting(Problem::kind).containsExactly(ProblemKind.INVALID_NAME,
                ProblemKind.UNKNOWN_REFERENCE, ProblemKind.MALFORMED, ProblemKind.MALFORMED, ProblemKind.MALFORMED,
                ProblemKind.UNKNOWN_REFERENCE, ProblemKind.MALFORMED);
        assertThat(problems.get(1).message()).isEqualTo("stream=no-such-stream (expected: one of the defined"
                + " streams: stream-a-i)");
    }

    @Test
    void namesOutsideTheAlphabetOrLongerThan63AreRejected() {
        assertThat(rejected(seed, new DefineVip("vip/1", "30.0.0.1/32")).head().kind())
                .isEqualTo(ProblemKind.INVALID_NAME);
        assertThat(rejected(seed, new DefineVip("v".repeat(64), "30.0.0.1/32")).head().message())
                .startsWith("name=" + "v".repeat(64) + " (expected: 1..63 characters of [A-Za-z0-9_+.-])");
        assertThat(rejected(seed, new DefineVip("", "30.0.0.1/32")).head().kind()).isEqualTo(ProblemKind.MISSING);
        accepted(seed, new DefineVip("v".repeat(63), "30.0.0.1/32"));
        accepted(seed, new DefineVip("A-z_0+9.x", "30.0.0.1/32"));
    }

    @Test
    void identifierOutsideOneToMaxTargetsIsRejected() {
        assertThat(rejected(seed,
                new RegisterTarget("stream-a-i", 0, java.util.List.of("172.16.0.9"))).head().message())
                .isEqualTo("identifier=0 (expected: 1..100 for stream stream-a-i)");
        assertThat(rejected(seed, new RegisterTarget("stream-a-i", 101, java.util.List.of("172.16.0.9"))).head().kind())
                .isEqualTo(ProblemKind.OUT_OF_RANGE);
        accepted(seed, new RegisterTarget("stream-a-i", 100, java.util.List.of("172.16.0.9")));
    }

    @Test
    void identifierHeldByAnotherTargetIsRejected() {
        List<Problem> problems = rejected(seed, new RegisterTarget("stream-a-i", 44, java.util.List.of("172.16.1.9")));
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.CONFLICT);
            assertThat(problem.message()).isEqualTo("identifier=44 (expected: a free identifier; stream stream-a-i"
                    + " gives it to target 172.16.1.6,fd00:0:0:1::6)");
        });
    }

    @Test
    void addressHeldByAnotherTargetOfTheStreamIsRejected() {
        List<Problem> problems = rejected(seed, new RegisterTarget("stream-a-i", 45, java.util.List.of("172.16.1.6")));
        assertThat(problems).extracting(Problem::kind).containsExactly(ProblemKind.CONFLICT);
        assertThat(problems.head().message()).contains("identifier 44 holds it");
    }

    @Test
    void registeringTheSameTargetAgainChangesNothing() {
        assertThat(accepted(seed,
                new RegisterTarget("stream-a-i", 44, java.util.List.of("fd00:0:0:1::6", "172.16.1.6"))))
                .isSameAs(seed);
    }

    @Test
    void targetsNeedAtMostOneAddressPerFamily() {
        assertThat(rejected(seed, new RegisterTarget("stream-a-i", 1, java.util.List.of("172.16.0.1", "172.16.0.2")))
                .head().kind()).isEqualTo(ProblemKind.INCONSISTENT);
        assertThat(rejected(seed, new RegisterTarget("stream-a-i", 1, java.util.List.of())).head().kind())
                .isEqualTo(ProblemKind.MISSING);
    }

    @Test
    void malformedCidrsAndPortRangesAreRejected() {
        assertThat(rejected(seed, new DefineVip("vip-x", "20.0.0.300/32")).head().message())
                .isEqualTo("cidr=20.0.0.300/32 (expected: ADDRESS/LENGTH with an IPv4 or IPv6 address)");
        DefineFlow badPorts = new DefineFlow("f", "stream-a-i", 1, java.util.List.of("udp"), java.util.List.of(),
                java.util.List.of("9-1"), java.util.List.of(), java.util.List.of(), java.util.List.of());
        assertThat(rejected(seed, badPorts).head().message())
                .isEqualTo("ports=9-1 (expected: PORT or FIRST-LAST with 0 <= FIRST <= LAST <= 65535)");
    }

    @Test
    void portsWithoutProtocolsAreRejected() {
        DefineFlow flow = new DefineFlow("f", "stream-a-i", 1, java.util.List.of(), java.util.List.of(),
                java.util.List.of(), java.util.List.of("80"), java.util.List.of("vip-a-1-v4"), java.util.List.of());
        assertThat(rejected(seed, flow)).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.INCONSISTENT);
            assertThat(problem.field()).isEqualTo("protocols");
        });
    }

    @Test
    void maxTargetsCannotChangeWhileTargetsAreRegistered() {
        List<Problem> problems = rejected(seed, new DefineStream("stream-a-i", "conduit-a", 200));
        assertThat(problems.head().message()).isEqualTo("maxTargets=200 (expected: 100 while stream stream-a-i has"
                + " 4 registered targets; unregister them first)");
        State empty = seed;
        for (int id : new int[] {44, 62, 69, 73}) {
            empty = accepted(empty, new UnregisterTarget("stream-a-i", id));
        }
        State resized = accepted(empty, new DefineStream("stream-a-i", "conduit-a", 200));
        assertThat(resized.streams().get("stream-a-i").get().maxTargets()).isEqualTo(200);
    }

    @Test
    void streamsGetFirstFitNonOverlappingFwmarkRanges() {
        State state = Scenarios.fold(java.util.List.of(new DefineTrench("t"), new DefineConduit("c", "")));
        state = accepted(state, new DefineStream("s1", "c", 100));
        state = accepted(state, new DefineStream("s2", "c", 50));
        assertThat(state.fwmarkOffsets().get("s1").get()).isEqualTo(5000);
        assertThat(state.fwmarkOffsets().get("s2").get()).isEqualTo(5100);
        state = accepted(state, new DeleteStream("s1"));
        state = accepted(state, new DefineStream("s3", "c", 100));
        state = accepted(state, new DefineStream("s4", "c", 10));
        assertThat(state.fwmarkOffsets().get("s3").get()).isEqualTo(5000);
        assertThat(state.fwmarkOffsets().get("s4").get()).isEqualTo(5150);
    }

    @Test
    void targetFwmarkIsIdentifierPlusOffsetAsInTheSeed() {
        Target target = seed.target("stream-a-i", 44).get();
        assertThat(target.identifier() + seed.fwmarkOffsets().get("stream-a-i").get()).isEqualTo(5044);
    }

    @Test
    void rulePrioritiesCountDownFrom99InRegistrationOrderAndAreReused() {
        assertThat(List.of(69, 62, 44, 73).map(id -> seed.target("stream-a-i", id).get().rulePriority()))
                .containsExactly(99, 98, 97, 96);
        State state = accepted(seed, new UnregisterTarget("stream-a-i", 62));
        state = accepted(state, new RegisterTarget("stream-a-i", 10, java.util.List.of("172.16.0.10")));
        assertThat(state.target("stream-a-i", 10).get().rulePriority()).isEqualTo(98);
    }

    @Test
    void deletingObjectsStillInUseIsRejected() {
        assertThat(rejected(seed, new DeleteVip("vip-a-1-v4"))).extracting(Problem::message).containsExactly(
                "vip=vip-a-1-v4 is still used by flows flow-a-z-tcp (expected: none; delete or change them first)",
                "vip=vip-a-1-v4 is still used by attractors attractor-a-1"
                        + " (expected: none; delete or change them first)");
        assertThat(rejected(seed, new DeleteStream("stream-a-i"))).extracting(Problem::kind)
                .containsExactly(ProblemKind.STILL_REFERENCED, ProblemKind.STILL_REFERENCED);
        assertThat(rejected(seed, new DeleteConduit("conduit-a")).head().kind())
                .isEqualTo(ProblemKind.STILL_REFERENCED);
        assertThat(rejected(seed, new DeleteGateway("gateway-a-v4")).head().kind())
                .isEqualTo(ProblemKind.STILL_REFERENCED);
        assertThat(rejected(seed, new DeleteTrench("trench-a")).head().kind()).isEqualTo(ProblemKind.STILL_REFERENCED);
    }

    @Test
    void unknownTargetsAndObjectsAreUnknownReferences() {
        assertThat(rejected(seed, new UnregisterTarget("stream-a-i", 1)).head().message())
                .isEqualTo("identifier=1 (expected: a registered target of stream stream-a-i: 44, 62, 69, 73)");
        assertThat(rejected(seed, new EnableTarget("stream-x", 1)).head().kind())
                .isEqualTo(ProblemKind.UNKNOWN_REFERENCE);
        assertThat(rejected(seed, new DeleteVip("vip-x")).head().kind()).isEqualTo(ProblemKind.UNKNOWN_REFERENCE);
    }

    @Test
    void overlappingVipsAndVipsWithHostBitsAreRejected() {
        assertThat(rejected(seed, new DefineVip("vip-x", "20.0.0.0/24")).head().message())
                .isEqualTo("address=20.0.0.0/24 (expected: no overlap with vip vip-a-1-v4 20.0.0.1/32; the VIP sets"
                        + " are interval sets)");
        assertThat(rejected(seed, new DefineVip("vip-x", "30.0.0.1/24")).head().message())
                .isEqualTo("address=30.0.0.1/24 (expected: a prefix without host bits, such as 30.0.0.0/24)");
        accepted(seed, new DefineVip("vip-a-1-v4", "20.0.0.2/32"));
    }

    @Test
    void bgpGatewaysNeedBothAsNumbers() {
        assertThat(rejected(seed, new DefineGateway("gw", "169.254.100.1", "ext-vlan0", "bgp", false, 0, 8103))
                .head().kind()).isEqualTo(ProblemKind.INCONSISTENT);
        accepted(seed, new DefineGateway("gw", "169.254.100.1", "ext-vlan0", "static", false, 0, 0));
        assertThat(rejected(seed, new DefineGateway("gw", "169.254.100.1", "ext-vlan0-too-long", "ospf", false, 0, 0)))
                .extracting(Problem::field).containsExactly("interfaceName", "protocol");
    }

    @Test
    void aGatewaysSessionOptionsDefaultWhenLeftOutAndEveryBadOneIsNamed() {
        GatewayDefined defaults = (GatewayDefined) Scenarios.event(seed, new DefineGateway("gw", "169.254.100.1",
                "ext-vlan0", "static", null, null, null, null, null, null, null, null, null, null));
        assertThat(defaults.options()).isEqualTo(GatewayOptions.DEFAULTS);
        assertThat(defaults.remoteAsn()).isZero();
        GatewayDefined tuned = (GatewayDefined) Scenarios.event(seed, new DefineGateway("gw", "169.254.100.1",
                "ext-vlan0", "bgp", true, 65001L, 65002L, 10179, 20179, 3, 100, 150, 5, "/etc/slb/gw.password"));
        assertThat(tuned.options()).isEqualTo(new GatewayOptions(10179, 20179, 3, 100, 150, 5,
                "/etc/slb/gw.password"));
        assertThat(tuned.options().bfdDetectionMillis()).isEqualTo(750);
        assertThat(rejected(seed, new DefineGateway("gw", "169.254.100.1", "ext-vlan0", "bgp", true, 65001L, 65002L,
                0, 70000, 2, 5, 100, 300, "gw.password")))
                .extracting(Problem::message).containsExactly(
                        "localPort=0 (expected: 1..65535)",
                        "remotePort=70000 (expected: 1..65535)",
                        "holdTime=2 (expected: 3..65535 seconds, or 0 for no keepalives)",
                        "bfdMinTx=5 (expected: 10..60000 milliseconds)",
                        "bfdMultiplier=300 (expected: 1..255)",
                        "passwordFile=gw.password (expected: an absolute path to the file that holds the password)");
    }

    @Test
    void unchangedDefinitionsAndTogglesReturnTheSameInstance() {
        assertThat(Scenarios.after(seed, new DefineConduit("conduit-a", ""))).isSameAs(seed);
        assertThat(Scenarios.after(seed, new DefineStream("stream-a-i", "conduit-a", 100))).isSameAs(seed);
        assertThat(Scenarios.after(seed, new EnableTarget("stream-a-i", 44))).isSameAs(seed);
        State disabled = accepted(seed, new DisableTarget("stream-a-i", 44));
        assertThat(disabled.target("stream-a-i", 44).get().enabled()).isFalse();
        assertThat(Scenarios.after(disabled, new EnableTarget("stream-a-i", 44))).isEqualTo(seed);
    }

    @Test
    void observationsNeedNoTrenchAndADownedInterfaceKeepsItsAddresses() {
        State state = accepted(State.empty(), new ReportInterfaceUp("eth0", java.util.List.of("10.0.0.1/24"), 0));
        assertThat(state.interfaces().get("eth0").get().mtu()).isEqualTo(1500);
        state = accepted(state, new ReportInterfaceDown("eth0"));
        assertThat(state.interfaces().get("eth0").get().up()).isFalse();
        assertThat(state.interfaces().get("eth0").get().addresses()).hasSize(1);
        // The MTU is the kernel's fact, whatever it is: the loopback's 65536 is not refused.
        assertThat(accepted(state, new ReportInterfaceUp("lo", java.util.List.of("127.0.0.1/8"), 65536)).interfaces()
                .get("lo").get().mtu()).isEqualTo(65536);
        assertThat(rejected(state,
                new ReportInterfaceUp("eth0", java.util.List.of("10.0.0.1/24"), -1)).head().message())
                .isEqualTo("mtu=-1 (expected: a positive MTU, or 0 when unknown)");
    }

    @Test
    void trenchCanBeDeletedOnceEmpty() {
        State state = accepted(State.empty(), new DefineTrench("t"));
        assertThat(accepted(state, new DeleteTrench("t"))).isEqualTo(State.empty());
    }

    @Test
    void beyond99TargetsRulePrioritiesComeFromTheFwmark() {
        State state = Scenarios.fold(Scenarios.large(2, 100));
        assertThat(state.target("stream-0", 99).get().rulePriority()).isEqualTo(1);
        assertThat(state.target("stream-0", 100).get().rulePriority()).isEqualTo(100 + 5100 - 5000);
        assertThat(state.target("stream-1", 1).get().rulePriority()).isEqualTo(100 + 5101 - 5000);
        State freed = accepted(accepted(state, new UnregisterTarget("stream-0", 3)),
                new UnregisterTarget("stream-1", 50));
        State reused = accepted(freed, new RegisterTarget("stream-1", 50, java.util.List.of("10.1.9.9")));
        assertThat(reused.target("stream-1", 50).get().rulePriority()).as("the freed 97 is counted down to")
                .isEqualTo(97);
    }

    @Test
    void flowsKeepToNfqlbsLimits() {
        DefineFlow portZero = new DefineFlow("f", "stream-a-i", 1, java.util.List.of("tcp"), java.util.List.of(),
                java.util.List.of(), java.util.List.of("0-80"), java.util.List.of("vip-a-1-v4"), java.util.List.of());
        assertThat(rejected(seed, portZero).head().message())
                .isEqualTo("ports=0-80 (expected: ports 1..65535; leave the list empty for any port)");
        java.util.List<String> subnets = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            subnets.add("10." + i + ".0.0/16");
        }
        DefineFlow tooMany = new DefineFlow("f", "stream-a-i", 1, java.util.List.of(), subnets, java.util.List.of(),
                java.util.List.of(), java.util.List.of("vip-a-1-v4"), java.util.List.of());
        assertThat(rejected(seed, tooMany).head().kind()).isEqualTo(ProblemKind.OUT_OF_RANGE);
    }

    @Test
    void applyOutcomesAreRecordedWithoutChangingTheState() {
        assertThat(accepted(seed, new RecordApplyFailure("ip rule add pref 99 fwmark 0x13cd lookup 5069",
                "RTNETLINK answers: File exists", 6))).isSameAs(seed);
        assertThat(accepted(seed, new RecordApplyRecovery(3))).isSameAs(seed);
        assertThat(rejected(seed, new RecordApplyFailure(" ", null, 0))).extracting(Problem::field)
                .containsExactly("operation", "error", "attempts");
        assertThat(rejected(seed, new RecordApplyRecovery(-1)).head().message())
                .isEqualTo("operations=-1 (expected: >= 0)");
    }
}
