package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.testing.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path work;

    @Test
    void theBundledExampleIsTheSeedScenario() {
        assertThat(EventsFile.readBundled(EventsFile.SEED_SCENARIO)).isEqualTo(Scenarios.seed());
    }

    @Test
    void demoShowsTheSeedsDataplaneATargetLeavingAndARefusal() {
        Path dir = work.resolve("demo");
        Cli demo = Cli.run("demo", "--data-dir", dir.toString());
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out())
                // The demo prints a tab as four spaces.
                .contains("   96:    from all fwmark 0x13d1 lookup 5073 proto 115\n"
                        + "   97:    from all fwmark 0x13b4 lookup 5044 proto 115\n"
                        + "   98:    from all fwmark 0x13c6 lookup 5062 proto 115\n"
                        + "   99:    from all fwmark 0x13cd lookup 5069 proto 115\n"
                        + "   100:    from 20.0.0.1 lookup 4096 proto 115\n")
                .contains("   $ ip route show table 5073\n   default via 172.16.1.8 dev conduit-a--f75b proto 115\n")
                .contains("   Maglev: M=9973, N=100\n"
                        + "   Lookup: 68 68 68 72 43 61 43 61 72 61 61 72 43 68 61 61 43 43 43 61"
                        + " 72 68 61 43 43...\n   Active: 5044(43) 5062(61) 5069(68) 5073(72)\n")
                .contains("maglev stream-a-i: deactivate slot 43 fwmark 5044")
                .contains("10000 generated TCP flows to 20.0.0.1:4000 through the simulated dataplane, by fwmark")
                .containsPattern("Of the 10000 flows, \\d+ \\(2\\d\\.\\d%\\) moved: ")
                .contains("identifier: identifier=0 (expected: 1..100 for stream stream-a-i)")
                .contains("./slb replay --data-dir " + dir + " --show ops");
        Cli replay = Cli.run("replay", "--data-dir", dir.toString());
        assertThat(replay.out()).as("with the simulated BGP sessions up").startsWith("sequence: 21\n")
                .contains("gateway-a-v4  169.254.100.150 dev ext-vlan0 bgp bfd asn 8103->4248829953 session up")
                .contains("stream-a-i/44  172.16.1.6,fd00:0:0:1::6"
                + " fwmark 5044 rule 97 enabled active");
    }

    @Test
    void demoRefusesADataDirectoryThatAlreadyHoldsSomething() throws IOException {
        Files.writeString(work.resolve("keep.txt"), "mine");
        Cli demo = Cli.run("demo", "--data-dir", work.toString());
        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.err()).contains("is not empty");
    }

    @Test
    void aBadScenarioFileNamesTheLine() throws IOException {
        Path file = Files.writeString(work.resolve("bad.jsonl"), "# comment\n"
                + "{\"type\":\"TrenchDefined\",\"name\":\"t\"}\n"
                + "{\"type\":\"VipDefined\",\"nam\":\"v\"}\n");
        Cli demo = Cli.run("demo", "--events", file.toString(), "--data-dir", work.resolve("d").toString());
        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.err()).contains(file + ":3: VipDefined does not decode");
    }
}
