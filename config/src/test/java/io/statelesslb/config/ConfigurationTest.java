package io.statelesslb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DeleteFlow;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    private static final Path SEED = Path.of("..", "examples", "seed-scenario.yaml");

    private static String seedText() throws IOException {
        return Files.readString(SEED);
    }

    private static State fold(State state, List<Command> commands) {
        for (Command command : commands) {
            state = Scenarios.after(state, command);
        }
        return state;
    }

    @Test
    void theSeedExampleGivesTheSeedsConfiguration() {
        List<Command> commands = Configuration.load(SEED).changesFrom(State.empty());
        assertThat(fold(State.empty(), commands)).isEqualTo(Scenarios.fold(Scenarios.seedConfiguration()));
        assertThat(commands).hasSameSizeAs(Scenarios.seedConfiguration());
    }

    @Test
    void loadingTheSameConfigurationAgainChangesNothing() {
        State configured = Scenarios.fold(Scenarios.seed());
        assertThat(Configuration.load(SEED).changesFrom(configured)).isEmpty();
    }

    @Test
    void onlyWhatChangedBecomesCommands() throws IOException {
        State configured = Scenarios.fold(Scenarios.seed());
        String raised = seedText().replace("priority: 1 ", "priority: 5 ");
        List<Command> commands = Configuration.parse("seed.yaml", raised).changesFrom(configured);
        assertThat(commands).singleElement().isInstanceOfSatisfying(DefineFlow.class,
                flow -> assertThat(flow.priority()).isEqualTo(5));
    }

    @Test
    void nfqlbsOptionsComeFromTheFileAndTheFlagsAndOnlyWhenTheyChangeSomething() throws IOException {
        State configured = Scenarios.fold(Scenarios.seed());
        String withOptions = seedText().replace("trench: trench-a\n", "trench: trench-a\nloadBalancer:\n"
                + "  queues: \"0:7\"\n  promiscuousPing: true\n  queueFanout: true\n");
        Configuration file = Configuration.parse("seed.yaml", withOptions);
        assertThat(file.changesFrom(configured)).singleElement().isEqualTo(
                new ConfigureLoadBalancer("0:7", 1024, false, false, true, 0, 0, 0, true));
        State set = fold(configured, file.changesFrom(configured));
        assertThat(file.changesFrom(set)).as("already so").isEmpty();

        LoadBalancerOptions flags = new LoadBalancerOptions(null, 2048, null, true, null, null, null, null, null);
        assertThat(file.with(flags, "the flags").changesFrom(set)).singleElement().isEqualTo(
                new ConfigureLoadBalancer("0:7", 2048, false, true, true, 0, 0, 0, true));
        assertThat(Configuration.load(SEED).changesFrom(set)).as("a file without the section leaves them").isEmpty();

        LoadBalancerOptions contradicting = new LoadBalancerOptions("0:3", null, null, null, false, null, null, null,
                null);
        assertThatThrownBy(() -> file.with(contradicting, "the flags")).hasMessage(
                "loadBalancer.queues is 0:7 in seed.yaml but 0:3 in the flags (expected: one value, or the option in"
                        + " one place); loadBalancer.promiscuousPing is true in seed.yaml but false in the flags"
                        + " (expected: one value, or the option in one place)");
        assertThat(flags.changeFrom(State.empty())).as("no trench: the decider says why").isPresent();
        assertThat(LoadBalancerOptions.NONE.changeFrom(set)).isEmpty();
    }

    @Test
    void aConduitsPortTranslationsComeFromTheFileAndTheirProblemsAreLocated() throws IOException {
        State configured = Scenarios.fold(Scenarios.seed());
        String translating = seedText().replace("    # destinationPortNats:\n    #   - ",
                "    destinationPortNats:\n      - ");
        List<Command> commands = Configuration.parse("seed.yaml", translating).changesFrom(configured);
        assertThat(commands).singleElement().isEqualTo(new DefineConduit("conduit-a", "conduit-a-", List.of(
                new DefineConduit.DestinationPortNat("tcp", 80, 8080, List.of("vip-a-1-v4", "vip-a-1-v6")))));

        String bad = translating.replace("port: 80,", "port: 0,");
        assertThatThrownBy(() -> Configuration.parse("seed.yaml", bad).changesFrom(configured))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    ConfigError error = e.errors().get(0);
                    assertThat(error.field()).isEqualTo("conduits[0].destinationPortNats[0].port");
                    assertThat(error.line()).isEqualTo(lineOf(bad, "port: 0,"));
                    assertThat(error.message()).isEqualTo("destinationPortNats[0].port=0 (expected: 1..65535)");
                });
    }

    @Test
    void aGatewaysSessionOptionsComeFromTheFileAndOnlyThoseGivenChangeItsDefaults() throws IOException {
        State configured = Scenarios.fold(Scenarios.seed());
        String tuned = seedText().replace("    # holdTime: 90                  # seconds, 0 or 3..65535\n",
                "    holdTime: 3\n").replace("    # passwordFile: /etc/slb/bgp-a  # the TCP-MD5 password, first line;"
                + " never logged nor shown\n", "    passwordFile: /etc/slb/bgp-a\n");
        List<Command> commands = Configuration.parse("seed.yaml", tuned).changesFrom(configured);
        assertThat(commands).singleElement().isInstanceOfSatisfying(DefineGateway.class, gateway -> {
            assertThat(gateway.name()).isEqualTo("gateway-a-v4");
            assertThat(gateway.holdTime()).isEqualTo(3);
            assertThat(gateway.passwordFile()).isEqualTo("/etc/slb/bgp-a");
            assertThat(gateway.localPort()).as("left out: the default").isNull();
        });
    }

    @Test
    void aDuplicateKeyAndAnAliasAreRefusedWithTheirLineNotReadOtherwise() {
        String duplicate = "trench: trench-a\nvips:\n  - name: v\n    address: 20.0.0.1/32\n    address: 30.0.0.1/32\n";
        assertThatThrownBy(() -> Configuration.parse("dup.yaml", duplicate))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.line()).isEqualTo(5);
                            assertThat(error.message()).contains("Duplicate field 'address'");
                        }));
        String aliased = "trench: trench-a\nvips:\n  - name: &n vip-a\n    address: 20.0.0.1/32\n"
                + "  - name: *n\n    address: 30.0.0.1/32\n";
        assertThatThrownBy(() -> Configuration.parse("alias.yaml", aliased))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.line()).isEqualTo(3);
                            assertThat(error.message()).isEqualTo("anchors, aliases and merge keys (&name, *name, <<)"
                                    + " are not supported (expected: every value written out)");
                        }));
    }

    @Test
    void whatTheFileNoLongerNamesIsDeletedUsersFirst() throws IOException {
        State configured = Scenarios.fold(Scenarios.seed());
        String text = seedText();
        String withoutFlow = text.substring(0, text.indexOf("flows:")) + text.substring(text.indexOf("gateways:"))
                .replace("vips: [vip-a-1-v4, vip-a-1-v6]\n    gateways", "vips: [vip-a-1-v4]\n    gateways")
                .replace("", "");
        String withoutV6 = withoutFlow.replace("  - name: vip-a-1-v6\n    address: 2000::1/128\n", "");
        List<Command> commands = Configuration.parse("seed.yaml", withoutV6).changesFrom(configured);
        assertThat(commands).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("DefineAttractor", "DeleteFlow", "DeleteVip");
        assertThat(((DeleteFlow) commands.get(1)).name()).isEqualTo("flow-a-z-tcp");
        assertThat(((DeleteVip) commands.get(2)).name()).isEqualTo("vip-a-1-v6");
    }

    @Test
    void unknownFieldsAreNamedWithLineAndColumn() throws IOException {
        String typo = seedText().replace("    priority: 1 ", "    prioritty: 1 ");
        assertThatThrownBy(() -> Configuration.parse("seed.yaml", typo))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    ConfigError error = e.errors().get(0);
                    assertThat(error.file()).isEqualTo("seed.yaml");
                    assertThat(error.line()).isEqualTo(lineOf(typo, "prioritty"));
                    assertThat(error.column()).isEqualTo(5);
                    assertThat(error.field()).isEqualTo("flows[0].prioritty");
                    assertThat(error.message()).isEqualTo("prioritty is not a setting here (expected one of:"
                            + " byteMatches, destinationPorts, name, priority, protocols, sourcePorts, sourceSubnets,"
                            + " stream, vips)");
                });
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithWhatWasExpected() throws IOException {
        String wrong = seedText().replace("    maxTargets: 100 ", "    maxTargets: [100] ");
        assertThatThrownBy(() -> Configuration.parse("seed.yaml", wrong))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors().get(0).toString())
                        .isEqualTo("seed.yaml:" + lineOf(wrong, "maxTargets") + ":5: streams[0].maxTargets: wrong type"
                                + " (expected: a number)"));
    }

    @Test
    void everyInvalidDefinitionIsReportedWhereItIsWritten() throws IOException {
        String bad = seedText().replace("address: 20.0.0.1/32", "address: 20.0.0.300/32")
                .replace("stream: stream-a-i", "stream: stream-x");
        assertThatThrownBy(() -> Configuration.parse("seed.yaml", bad).changesFrom(State.empty()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::field)
                            .contains("vips[0].address", "flows[0].stream");
                    ConfigError address = e.errors().stream().filter(x -> x.field().equals("vips[0].address"))
                            .findFirst().get();
                    assertThat(address.line()).isEqualTo(lineOf(bad, "20.0.0.300"));
                    assertThat(address.message()).contains("cidr=20.0.0.300/32");
                    assertThat(e.getMessage()).contains("seed.yaml:" + address.line() + ":");
                });
    }

    @Test
    void duplicateNamesAndAMissingTrenchAreErrors() {
        String yaml = "vips:\n  - name: v\n    address: 20.0.0.1/32\n  - name: v\n    address: 20.0.0.2/32\n";
        assertThatThrownBy(() -> Configuration.parse("dup.yaml", yaml).changesFrom(State.empty()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .extracting(ConfigError::field)
                        .contains("trench", "vips[1].name"));
    }

    @Test
    void staticTargetsAreRegisteredAndOthersLeftAlone() throws IOException {
        State configured = Scenarios.fold(Scenarios.seed());
        String withTarget = seedText()
                + "\ntargets:\n  - stream: stream-a-i\n    identifier: 7\n    ips: [172.16.0.7]\n";
        List<Command> commands = Configuration.parse("seed.yaml", withTarget).changesFrom(configured);
        assertThat(commands).singleElement().isEqualTo(new RegisterTarget("stream-a-i", 7, List.of("172.16.0.7")));
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        return -1;
    }
}
