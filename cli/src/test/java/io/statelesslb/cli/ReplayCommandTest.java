package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statelesslb.api.codec.Json;
import io.statelesslb.api.codec.SnapshotCodec;
import io.statelesslb.controller.store.EventStore;
import io.statelesslb.controller.store.EventStoreOptions;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.eventlog.etcd.EtcdCluster;
import io.statelesslb.eventlog.etcd.EtcdEventStream;
import io.statelesslb.eventlog.etcd.EtcdOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path work;

    private static Path logOf(Path dir, List<Command> events) {
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, CLOCK)) {
            events.forEach(event -> store.submit(event).join());
        }
        return dir;
    }

    private static List<Command> history() {
        List<Command> events = new ArrayList<>(Scenarios.seed());
        events.add(new UnregisterTarget("stream-a-i", 62));
        events.addAll(new RandomCommands(7).next(300));
        return events;
    }

    @Test
    void theSameLogAlwaysPrintsByteIdenticalOutput() {
        Path first = logOf(work.resolve("first"), history());
        Path second = logOf(work.resolve("second"), history());
        for (String show : List.of("state", "plan", "ops")) {
            Cli once = Cli.run("replay", "--data-dir", first.toString(), "--show", show);
            Cli again = Cli.run("replay", "--data-dir", first.toString(), "--show", show);
            Cli elsewhere = Cli.run("replay", "--data-dir", second.toString(), "--show", show);
            assertThat(once.exitCode()).as(once.err()).isZero();
            assertThat(once.out()).isNotBlank().isEqualTo(again.out()).isEqualTo(elsewhere.out());
        }
    }

    @Test
    void jsonOutputIsTheSnapshotTheViewsAndOneDocumentPerEvent() throws IOException {
        Path dir = logOf(work.resolve("seed"), Scenarios.seed());
        Cli state = Cli.run("replay", "--data-dir", dir.toString(), "-o", "json");
        assertThat(SnapshotCodec.decode(state.out().strip().getBytes()).state())
                .isEqualTo(Scenarios.fold(Scenarios.seed()));
        var plan = Json.mapper().readTree(
                Cli.run("replay", "--data-dir", dir.toString(), "--show", "plan", "-o", "json").out());
        assertThat(plan.path("sequence").asLong()).isEqualTo(17);
        assertThat(plan.path("views")).anySatisfy(view -> {
            assertThat(view.path("command").asText()).isEqualTo("ip rule");
            assertThat(view.path("output").asText()).contains("fwmark 0x13b4 lookup 5044");
        });
        List<String> ops = Cli.run("replay", "--data-dir", dir.toString(), "--show", "ops", "-o", "json").out().lines()
                .toList();
        assertThat(ops).hasSize(17);
        var last = Json.mapper().readTree(ops.get(16));
        assertThat(last.path("sequence").asLong()).isEqualTo(17);
        assertThat(last.path("event").path("type").asText()).isEqualTo("TargetRegistered");
        assertThat(last.path("ops").get(last.path("ops").size() - 1).asText())
                .startsWith("maglev stream-a-i: activate");
    }

    @Test
    void stateShowsTargetsWithTheirFwmarksRulesAndActivity() {
        Path dir = logOf(work.resolve("seed"), Scenarios.seed());
        Cli replay = Cli.run("replay", "--data-dir", dir.toString());
        assertThat(replay.out()).startsWith("sequence: 17\ntrench: trench-a\n")
                .contains("  stream-a-i/44  172.16.1.6,fd00:0:0:1::6 fwmark 5044 rule 97 enabled active\n")
                .contains("  stream-a-i  conduit=conduit-a maxTargets=100 fwmarks=5001..5100 targets=4\n");
    }

    @Test
    void untilStopsAtThatSequence() {
        Path dir = logOf(work.resolve("seed"), Scenarios.seed());
        Cli replay = Cli.run("replay", "--data-dir", dir.toString(), "--until", "16", "--show", "plan");
        // The plan as the Linux tools would print it: three of the four targets have their rules by then.
        assertThat(replay.out()).startsWith("# the plan of the state at sequence 16,")
                .contains("from all fwmark 0x13cd lookup 5069").doesNotContain("lookup 5073");
        Cli beyond = Cli.run("replay", "--data-dir", dir.toString(), "--until", "99");
        assertThat(beyond.exitCode()).isZero();
        assertThat(beyond.err()).contains("the log ends at sequence 17, before --until 99");
    }

    @Test
    void opsShowWhatEachEventChanged() {
        Path dir = logOf(work.resolve("seed"), Scenarios.seed());
        String ops = Cli.run("replay", "--data-dir", dir.toString(), "--show", "ops").out();
        assertThat(ops).contains("#17 2026-11-26T12:00:00Z {\"type\":\"TargetRegistered\",\"identifier\":73,"
                + "\"ips\":[\"172.16.1.8\",\"fd00:0:0:1::8\"],\"stream\":\"stream-a-i\"}\n"
                + "  ip route replace default via 172.16.1.8 dev conduit-a--f75b table 5073\n"
                + "  ip -6 route replace default via fd00:0:0:1::8 dev conduit-a--f75b table 5073\n"
                + "  ip rule add pref 96 fwmark 0x13d1 lookup 5073\n"
                + "  ip -6 rule add pref 96 fwmark 0x13d1 lookup 5073\n"
                + "  maglev stream-a-i: activate slot 72 fwmark 5073\n");
    }

    @Test
    void aMissingDirectoryOrBadArgumentsFailWithAReason() {
        Cli missing = Cli.run("replay", "--data-dir", work.resolve("nothing").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
        Cli badShow = Cli.run("replay", "--data-dir", work.toString(), "--show", "everything");
        assertThat(badShow.exitCode()).isEqualTo(2);
        assertThat(badShow.err()).contains("--show");
        Cli badUntil = Cli.run("replay", "--data-dir", work.toString(), "--until", "0");
        assertThat(badUntil.exitCode()).as("a bad option value is a usage error").isEqualTo(2);
        assertThat(badUntil.err()).contains("--until=0 (expected: a sequence number >= 1)");
    }

    @Test
    void aCorruptLogIsReportedWithFileAndOffset() throws IOException {
        Path dir = logOf(work.resolve("corrupt"), Scenarios.seed());
        Path segment = dir.resolve("00000000000000000001.log");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[40] ^= 0x01;
        Files.write(segment, bytes);
        Cli replay = Cli.run("replay", "--data-dir", dir.toString());
        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.err()).contains("event log corrupted in " + segment + " at offset 8: checksum mismatch");
    }

    @Test
    void aTrenchsStreamOnEtcdReplaysAsOneInstanceFoldsItAndTheSameAsTheLocalLog() throws IOException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        Path local = logOf(work.resolve("local"), Scenarios.seed());
        try (EtcdCluster etcd = EtcdCluster.start(1)) {
            EtcdOptions options = EtcdOptions.of(etcd.endpoints(), "/slb/replayed/");
            try (EventStore store = EventStore.open(EtcdEventStream.connect(options, "lb-b", CLOCK), "lb-b",
                    EventStoreOptions.DEFAULTS)) {
                Scenarios.seed().forEach(command -> store.submit(command).join());
                // lb-b's own observation: in the stream, folded by lb-b alone.
                store.submit(new ReportInterfaceDown("conduit-a--d7c4")).join();
            }
            String endpoint = etcd.endpoints().get(0).toString();
            Cli asB = Cli.run("replay", "--event-store", "etcd", "--etcd-endpoints", endpoint, "--etcd-prefix",
                    "/slb/replayed/", "--instance", "lb-b", "-o", "json");
            Cli planOfB = Cli.run("replay", "--event-store", "etcd", "--etcd-endpoints", endpoint, "--etcd-prefix",
                    "/slb/replayed/", "--instance", "lb-b", "--show", "plan", "--until", "17");
            Cli trench = Cli.run("replay", "--event-store", "etcd", "--etcd-endpoints", endpoint, "--etcd-prefix",
                    "/slb/replayed/", "-o", "json");
            Cli both = Cli.run("replay", "--data-dir", local.toString(), "--event-store", "etcd",
                    "--etcd-endpoints", endpoint);

            assertThat(asB.exitCode()).as(asB.err()).isZero();
            State state = SnapshotCodec.decode(asB.out().strip().getBytes()).state();
            assertThat(state.interfaces().get("conduit-a--d7c4").map(link -> link.up())).contains(false);
            assertThat(state.targets()).isEqualTo(Scenarios.fold(Scenarios.seed()).targets());
            // The same commands on one machine's log give lb-b's very plan.
            assertThat(planOfB.out()).isEqualTo(Cli.run("replay", "--data-dir", local.toString(), "--show", "plan")
                    .out());
            // Without an instance: the trench's facts alone, no machine's interfaces.
            State facts = SnapshotCodec.decode(trench.out().strip().getBytes()).state();
            assertThat(facts.interfaces().isEmpty()).isTrue();
            assertThat(facts.targets()).isEqualTo(state.targets());
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.err()).contains("--data-dir with --event-store etcd");
        }
    }
}
