package io.statelesslb.bird;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statelesslb.dataplane.routing.RoutingException;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayOptions;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.GatewaySpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.testing.Scenarios;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BirdConfigTest {

    @TempDir
    Path work;

    private static final SortedMap<String, GatewaySpec> SEED = seedSessions();

    private static SortedMap<String, GatewaySpec> seedSessions() {
        DataplaneSpec plan = Planner.plan(Scenarios.fold(Scenarios.seed()));
        return plan.gateways();
    }

    @Test
    void theSeedsGatewaysAreTwoBgpSessionsWithBfdEachExportingItsFamilysVip() {
        String config = BirdConfig.render(SEED, gateway -> "");
        String v4 = BirdConfig.protocolName("gateway-a-v4");
        assertThat(config).contains("protocol bgp " + v4 + " {\n"
                + "    description \"gateway-a-v4\";\n"
                + "    local port 179 as 8103;\n"
                + "    neighbor 169.254.100.150 port 179 as 4248829953;\n"
                + "    interface \"ext-vlan0\";\n"
                + "    hold time 90;\n"
                + "    connect delay time 1;\n    connect retry time 5;\n    error wait time 1, 10;\n"
                + "    error forget time 60;\n"
                + "    bfd { min rx interval 300 ms; min tx interval 300 ms; multiplier 3; };\n"
                + "    ipv4 {\n"
                + "        import filter { if net.len = 0 then accept; reject; };\n"
                + "        export filter { if net ~ [ 20.0.0.1/32 ] then accept; reject; };\n"
                + "    };\n}\n");
        assertThat(config).contains("export filter { if net ~ [ 2000::1/128 ] then accept; reject; };")
                .contains("protocol static slb_vips4 {\n    ipv4;\n    route 20.0.0.1/32 blackhole;\n}")
                .contains("protocol static slb_vips6 {\n    ipv6;\n    route 2000::1/128 blackhole;\n}")
                .contains("protocol kernel slb_kernel4 {\n    kernel table 4096;\n    merge paths on;\n")
                .contains("protocol kernel slb_kernel6 {")
                .contains("protocol bfd slb_bfd {\n}");
        assertThat(BirdConfig.render(SEED, gateway -> "")).as("the same sessions, the same text").isEqualTo(config);
        birdAccepts(config);
    }

    @Test
    void nothingAnnouncedExportsNothingButTheSessionStillLearnsTheDefaultRoute() {
        SortedMap<String, GatewaySpec> quiet = SEED.mapValues(spec -> new GatewaySpec(spec.gateway(),
                TreeSet.empty()));
        String config = BirdConfig.render(quiet, gateway -> "");
        assertThat(config).doesNotContain("blackhole").contains("export filter { reject; };")
                .contains("import filter { if net.len = 0 then accept; reject; };");
        birdAccepts(config);
    }

    @Test
    void aStaticGatewayIsADefaultRouteGuardedByBfdWithItsInterfacesTimers() {
        Gateway gateway = new Gateway("edge", IpAddress.parse("192.168.9.1").get(), "ext0", GatewayProtocol.STATIC,
                true, 0, 0, new GatewayOptions(179, 179, 90, 100, 200, 5, ""));
        String config = BirdConfig.render(TreeMap.of("edge", new GatewaySpec(gateway, TreeSet.empty())),
                g -> "");
        assertThat(config).contains("protocol static " + BirdConfig.protocolName("edge") + " {\n"
                        + "    description \"edge\";\n    ipv4;\n    route 0.0.0.0/0 via 192.168.9.1 bfd;\n}")
                .contains("interface \"ext0\" { min rx interval 200 ms; min tx interval 100 ms; multiplier 5; };")
                .doesNotContain("protocol bgp");
        birdAccepts(config);
    }

    @Test
    void aPasswordIsQuotedIntoItsSessionAndOneThatCannotBeIsRefusedWithoutShowingIt() {
        GatewaySpec seedV4 = SEED.get("gateway-a-v4").get();
        Gateway base = seedV4.gateway();
        Gateway withPassword = new Gateway(base.name(), base.address(), base.interfaceName(), base.protocol(),
                base.bfd(), base.remoteAsn(), base.localAsn(), new GatewayOptions(1179, 2179, 3, 300, 300, 3,
                "/etc/slb/bgp-a-v4"));
        SortedMap<String, GatewaySpec> sessions = TreeMap.of(base.name(), new GatewaySpec(withPassword,
                seedV4.announced()));
        String config = BirdConfig.render(sessions, gateway -> "s3cret word");
        assertThat(config).contains("    password \"s3cret word\";\n").contains("local port 1179 as 8103;")
                .contains("port 2179 as 4248829953;").contains("hold time 3;");
        birdAccepts(config);
        assertThatThrownBy(() -> BirdConfig.render(sessions, gateway -> "evil\";}"))
                .isInstanceOf(RoutingException.class)
                .hasMessageContaining("/etc/slb/bgp-a-v4").hasMessageNotContaining("evil");
    }

    @Test
    void protocolNamesAreBirdSymbolsThatNeverMeet() {
        assertThat(BirdConfig.protocolName("gateway-a-v4")).matches("gw_gateway_a_v4_[0-9a-f]{8}");
        assertThat(BirdConfig.protocolName("a-b")).isNotEqualTo(BirdConfig.protocolName("a_b"));
        assertThat(BirdConfig.protocolName("x".repeat(200))).hasSizeLessThan(64);
    }

    /** BIRD's own parser, when BIRD is installed ({@code bird -p}: parse the configuration and exit). */
    private void birdAccepts(String config) {
        assumeTrue(BirdRouting.installed().isPresent(), "bird is not installed (apt-get install bird2)");
        try {
            Path file = work.resolve("bird.conf");
            Files.writeString(file, config);
            Process parse = new ProcessBuilder(BirdRouting.installed().get().toString(), "-p", "-c",
                    file.toString()).redirectErrorStream(true).start();
            assertThat(parse.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String said = new String(parse.getInputStream().readAllBytes());
            assertThat(parse.exitValue()).as(said + "\n" + config).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
