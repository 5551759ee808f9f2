package io.statelesslb.daemon.cli;

import io.statelesslb.daemon.pipeline.Reconciler;
import io.statelesslb.daemon.report.EventSummary;
import io.statelesslb.daemon.store.EventStore;
import io.statelesslb.daemon.store.EventStoreOptions;
import io.statelesslb.daemon.store.Submission;
import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.sim.SimulatedDataplane;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slb demo}: runs a scenario through the whole pipeline (durable log → fold → plan → diff → simulated
 * dataplane) and shows what it does, in the words and formats an operator knows.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        header = "Show the load balancer on the simulator, step by step.",
        description = {
                "Run a scenario on the simulated dataplane and show what the load balancer does: each event logged"
                        + " and applied, the resulting rules and routes as the Linux tools print them, generated"
                        + " traffic spreading over the targets, a target leaving, a bad request refused.",
                "Needs no privileges. The event log is kept so that you can replay it."},
        footer = {"", "Examples:",
                "  slb demo                          # the bundled seed scenario",
                "  slb demo --events my-scenario.jsonl --data-dir /tmp/slb-demo"})
final class DemoCommand implements Callable<Integer> {

    private static final int TRAFFIC_FLOWS = 10_000;

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
        List<Event> events = eventsFile == null ? EventsFile.readBundled(EventsFile.SEED_SCENARIO)
                : EventsFile.read(eventsFile);
        Path dir = dataDir == null ? Files.createTempDirectory("slb-demo-") : dataDir;
        requireEmpty(dir);
        out.println("stateless-lb demo: " + (eventsFile == null ? "the seed scenario" : eventsFile)
                + " on the simulated dataplane");
        out.println("event log: " + dir);
        SimulatedDataplane dataplane = new SimulatedDataplane();
        Reconciler reconciler = new Reconciler(dataplane);
        try (EventStore store = EventStore.open(dir, EventStoreOptions.DEFAULTS, Clock.systemUTC())) {
            out.println();
            out.println("1. Each event is checked, logged durably (fsync), folded into the state, planned, and the");
            out.println("   difference applied to the dataplane:");
            for (Event event : events) {
                submit(store, reconciler, event, false);
            }
            DataplaneSpec applied = dataplane.actual();
            out.println();
            out.println("2. The dataplane now, as the Linux tools would print it:");
            dataplane.render().forEach(view -> command(view.command(), view.output()));
            Target leaving = store.state().targets().values().flatMap(byId -> byId.values()).headOption().getOrNull();
            GeneratedTraffic traffic = applied.flows().isEmpty() ? null
                    : GeneratedTraffic.to(applied.flows().values().head(), TRAFFIC_FLOWS);
            int[] before = traffic == null ? null : spread(dataplane, traffic);
            if (leaving != null) {
                out.println();
                out.println("4. Target " + leaving.identifier() + " of " + leaving.stream()
                        + " leaves. Only its own slot, rules and routes change; every other target keeps its own:");
                submit(store, reconciler, new TargetUnregistered(leaving.stream(), leaving.identifier()), true);
                if (traffic != null) {
                    int[] after = fwmarks(dataplane, traffic);
                    int leavingFwmark = leaving.identifier() + store.state().fwmarkOffsets().get(leaving.stream()).get();
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
                out.println("   ...and comes back: routes and rules first, then its Maglev slot:");
                submit(store, reconciler, new TargetRegistered(leaving.stream(), leaving.identifier(),
                        leaving.ips().map(Object::toString).toJavaList()), true);
                out.println();
                out.println("5. A bad request is refused with every problem named, and changes nothing:");
                submit(store, reconciler, new TargetRegistered(leaving.stream(), 0, List.of("300.1.1.1")), true);
            }
            out.println();
            out.println("The event log holds " + store.sequence() + " events. Replay it, deterministically:");
            out.println("  ./slb replay --data-dir " + dir + " --show ops");
        }
        out.flush();
        return 0;
    }

    /** Prints how the generated flows spread over the fwmarks; @return each flow's fwmark */
    private int[] spread(SimulatedDataplane dataplane, GeneratedTraffic traffic) {
        int[] fwmarks = fwmarks(dataplane, traffic);
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

    private static int[] fwmarks(SimulatedDataplane dataplane, GeneratedTraffic traffic) {
        int[] fwmarks = new int[traffic.packets.size()];
        for (int i = 0; i < fwmarks.length; i++) {
            fwmarks[i] = dataplane.inject(traffic.packets.get(i), "demo-client").fwmark();
        }
        return fwmarks;
    }

    private void requireEmpty(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException("--data-dir " + dir + " is not empty (expected: a new or empty"
                            + " directory; the demo writes a fresh event log)");
                }
            }
        }
    }

    private void submit(EventStore store, Reconciler reconciler, Event event, boolean detailed) {
        Submission submission = store.submit(event).join();
        if (submission instanceof Submission.Rejected rejected) {
            out.printf("   rejected  %-18s %s%n", event.getClass().getSimpleName(), EventSummary.of(event));
            rejected.problems().forEach(problem -> out.println("      " + problem));
            return;
        }
        long sequence = ((Submission.Recorded) submission).event().sequence();
        Reconciler.Reconciliation done = reconciler.reconcile(((Submission.Recorded) submission).state());
        out.printf("   #%-3d %-18s %-40s %d dataplane op%s%n", sequence, event.getClass().getSimpleName(),
                EventSummary.of(event), done.ops().size(), done.ops().size() == 1 ? "" : "s");
        if (detailed || event instanceof TargetEvent) {
            for (Op op : done.ops()) {
                out.println("          " + op.describe());
            }
        }
        if (done.result() instanceof ApplyResult.Failed failed) {
            out.println("      apply failed at " + failed.op().describe() + ": " + failed.error());
        }
    }

    private void command(String command, String output) {
        out.println();
        out.println("   $ " + command);
        output.lines().forEach(line -> out.println("   " + line.replace("\t", "    ")));
    }
}
