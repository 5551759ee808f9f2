package io.statelesslb.cli;

import io.statelesslb.api.codec.EventType;
import io.statelesslb.controller.ControllerListener;
import io.statelesslb.controller.ControllerOptions;
import io.statelesslb.controller.TrenchController;
import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.sim.SimulatedDataplane;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slb demo}: runs a scenario through the daemon's own controller (decide, durable log, evolve, plan, diff) on
 * the simulated dataplane, and shows what it does in the words and formats an operator knows.
 */
@CommandLine.Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        header = "Show the load balancer on the simulator, step by step.",
        description = {
                "Run a scenario through the daemon's controller on the simulated dataplane and show what the load"
                        + " balancer does: each change decided, logged and applied, the resulting rules and routes as"
                        + " the Linux tools print them, generated traffic spreading over the targets, a target"
                        + " leaving, a bad request refused.",
                "Needs no privileges. The event log is kept so that you can replay it."},
        footer = {"", "Examples:",
                "  slb demo                          # the bundled seed scenario",
                "  slb demo --events my-scenario.jsonl --data-dir /tmp/slb-demo"})
final class DemoCommand implements Callable<Integer> {

    private static final int TRAFFIC_FLOWS = 10_000;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final String CLIENT_INTERFACE = "demo-client";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to keep the event log (default: a new"
            + " temporary directory). Must be new or empty.")
    Path dataDir;

    @Option(names = "--events", paramLabel = "FILE", description = "A scenario: one JSON event per line (default:"
            + " the bundled seed scenario).")
    Path eventsFile;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        List<Command> commands = eventsFile == null ? EventsFile.readBundled(EventsFile.SEED_SCENARIO)
                : EventsFile.read(eventsFile);
        Path dir = dataDir == null ? Files.createTempDirectory("slb-demo-") : dataDir;
        requireEmpty(dir);
        out.println("stateless-lb demo: " + (eventsFile == null ? "the seed scenario" : eventsFile)
                + " on the simulated dataplane");
        out.println("event log: " + dir);
        // The daemon's controller, as `slb run --backend sim` runs it; no periodic verify, the demo is short.
        ControllerOptions options = ControllerOptions.defaults(dir)
                .withPipeline(ControllerOptions.defaults(dir).pipeline().withRecheckEvery(Duration.ZERO));
        try (TrenchController controller = TrenchController.open(options, new SimulatedDataplane(),
                ControllerListener.NONE)) {
            controller.readyOnceApplied(controller.sequence());
            out.println();
            out.println("1. Each change is decided against the state, logged durably (fsync), evolved into the state,");
            out.println("   planned, and the difference applied to the dataplane:");
            for (Command command : commands) {
                submit(controller, command, false);
            }
            out.println();
            out.println("2. The dataplane now, as the Linux tools would print it:");
            for (Rendering view : controller.render()) {
                show(view);
            }
            Target leaving = controller.state().targets().values().flatMap(byId -> byId.values()).headOption()
                    .getOrNull();
            List<FlowSpec> flows = controller.actual().flows().values().toJavaList();
            GeneratedTraffic traffic = flows.isEmpty() ? null : GeneratedTraffic.to(flows.get(0), TRAFFIC_FLOWS);
            int[] before = traffic == null ? null : spread(controller, traffic);
            if (leaving != null) {
                out.println();
                out.println("4. Target " + leaving.identifier() + " of " + leaving.stream()
                        + " leaves. Only its own slot, rules and routes change; every other target keeps its own:");
                submit(controller, new UnregisterTarget(leaving.stream(), leaving.identifier()), true);
                if (traffic != null) {
                    movedFlows(controller, traffic, before,
                            controller.state().fwmarkOf(leaving.stream(), leaving.identifier()));
                }
                out.println("   ...and comes back: routes and rules first, then its Maglev slot:");
                submit(controller, new RegisterTarget(leaving.stream(), leaving.identifier(),
                        leaving.ips().map(Object::toString).toJavaList()), true);
                out.println();
                out.println("5. A bad request is refused with every problem named, and changes nothing:");
                submit(controller, new RegisterTarget(leaving.stream(), 0, List.of("300.1.1.1")), true);
            }
            out.println();
            out.println("The event log holds " + controller.sequence() + " events. Replay it, deterministically:");
            out.println("  ./slb replay --data-dir " + dir + " --show ops");
        }
        out.flush();
        return 0;
    }

    /** Prints how the generated flows spread over the fwmarks; @return each flow's fwmark */
    private int[] spread(TrenchController controller, GeneratedTraffic traffic) {
        int[] fwmarks = fwmarks(controller, traffic);
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int fwmark : fwmarks) {
            counts.merge(fwmark, 1, Integer::sum);
        }
        out.println();
        out.println("3. " + traffic.packets.size() + " generated TCP flows to " + traffic.vip.address() + ":"
                + traffic.port + " through the simulated dataplane, by fwmark (0 = dropped):");
        counts.forEach((fwmark, count) -> out.printf("     %-6d %6d flows  %5.1f%%%n", fwmark, count,
                100.0 * count / fwmarks.length));
        return fwmarks;
    }

    private void movedFlows(TrenchController controller, GeneratedTraffic traffic, int[] before, int leavingFwmark) {
        int[] after = fwmarks(controller, traffic);
        int moved = 0;
        int movedFromOthers = 0;
        for (int i = 0; i < after.length; i++) {
            if (after[i] != before[i]) {
                moved++;
                movedFromOthers += before[i] != leavingFwmark ? 1 : 0;
            }
        }
        out.printf("   Of the %d flows, %d (%.1f%%) moved: %s%n", after.length, moved, 100.0 * moved / after.length,
                movedFromOthers == 0 ? "exactly those that went to fwmark " + leavingFwmark
                        : "those of fwmark " + leavingFwmark + ", and " + movedFromOthers
                                + " from other targets (Maglev keeps disruption near the minimum)");
    }

    private static int[] fwmarks(TrenchController controller, GeneratedTraffic traffic) {
        int[] fwmarks = new int[traffic.packets.size()];
        for (int i = 0; i < fwmarks.length; i++) {
            fwmarks[i] = controller.trace(traffic.packets.get(i), CLIENT_INTERFACE).fwmark();
        }
        return fwmarks;
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException("--data-dir " + dir + " is not empty (expected: a new or empty"
                            + " directory; the demo writes a fresh event log)");
                }
            }
        }
    }

    /** Submits a command as the HTTP API would, waits for the dataplane, and prints what it did. */
    private void submit(TrenchController controller, Command command, boolean detailed) {
        controller.submit(command).block(STEP_TIMEOUT).fold(
                problems -> printRejected(command, problems),
                unchanged -> printUnchanged(command),
                recorded -> printRecorded(controller, recorded.event(), detailed));
    }

    private Void printRejected(Command command, io.vavr.collection.List<Problem> problems) {
        out.println("   rejected  " + EventType.ofCommand(command).typeName());
        problems.forEach(problem -> out.println("      " + problem));
        return null;
    }

    private Void printUnchanged(Command command) {
        out.println("   unchanged " + EventType.ofCommand(command).typeName() + " (the state already holds it)");
        return null;
    }

    private Void printRecorded(TrenchController controller, RecordedEvent recorded, boolean detailed) {
        Pipeline.Report done = controller.applied(recorded.sequence()).block(STEP_TIMEOUT);
        out.printf("   #%-3d %-18s %-40s %d dataplane op%s%n", recorded.sequence(),
                EventType.of(recorded.event()).typeName(), EventSummary.of(recorded.event()), done.ops().size(),
                done.ops().size() == 1 ? "" : "s");
        if (detailed || recorded.event() instanceof TargetEvent) {
            for (Op op : done.ops()) {
                out.println("          " + op.describe());
            }
        }
        if (done.result() instanceof ApplyResult.Failed failed) {
            out.println("      apply failed at " + failed);
        }
        return null;
    }

    private void show(Rendering view) {
        out.println();
        out.println("   $ " + view.command());
        view.output().lines().forEach(line -> out.println("   " + line.replace("\t", "    ")));
    }
}
