package io.statelesslb.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.controller.store.EventJournal;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.testing.FaultyDataplane;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import io.statelesslb.sim.SimulatedDataplane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class PipelineTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private Pipeline pipeline;

    /** An in-memory journal: decides and evolves at once, no disk. */
    private static final class MemoryJournal implements EventJournal {
        final List<Event> recorded = new ArrayList<>();
        private State state;
        private long sequence;

        MemoryJournal(State state) {
            this.state = state;
        }

        @Override
        public synchronized CompletableFuture<Submission> submit(Command command, String source) {
            return CompletableFuture.completedFuture(Decider.decide(state, command).fold(Submission.Rejected::new,
                    event -> {
                        state = state.evolve(event);
                        recorded.add(event);
                        return new Submission.Recorded(new RecordedEvent(++sequence, Instant.EPOCH, event), state);
                    }));
        }
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.dispose();
        }
        time.dispose();
    }

    private static List<Command> hundredTargets() {
        List<Command> events = new ArrayList<>();
        for (int id = 1; id <= 100; id++) {
            events.add(new RegisterTarget("stream-0", id,
                    List.of(Scenarios.targetIpv4(0, id), Scenarios.targetIpv6(0, id))));
        }
        return events;
    }

    @Test
    void aBurstOfAHundredTargetEventsIsReconciledOnce() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane());
        pipeline = Pipeline.start(new MemoryJournal(configured), dataplane, PipelineOptions.DEFAULTS, time);
        hundredTargets().forEach(event -> pipeline.submit(event, "test").subscribe());
        time.advanceTimeBy(Duration.ofMillis(10));
        StepVerifier.create(pipeline.reports().take(1))
                .assertNext(report -> {
                    assertThat(report.result()).isInstanceOf(ApplyResult.Applied.class);
                    assertThat(report.attempts()).isEqualTo(1);
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(dataplane.applies()).as("one plan, one diff, one apply for the burst").isEqualTo(1);
        assertThat(dataplane.actual().streams().get("stream-0").get().slots()).hasSize(100);
    }

    @Test
    void aFailedApplyIsRetriedWithBackoffFromWhereItStopped() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane());
        dataplane.failNext(2, "RTNETLINK answers: No buffer space available");
        pipeline = Pipeline.start(new MemoryJournal(configured), dataplane, PipelineOptions.DEFAULTS, time);
        pipeline.submit(hundredTargets().get(0), "test").subscribe();
        time.advanceTimeBy(Duration.ofMillis(10));
        assertThat(dataplane.applies()).isEqualTo(1);
        time.advanceTimeBy(Duration.ofSeconds(2));
        StepVerifier.create(pipeline.reports().take(1))
                .assertNext(report -> {
                    assertThat(report.result()).isInstanceOf(ApplyResult.Applied.class);
                    assertThat(report.attempts()).isEqualTo(3);
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(dataplane.actual().streams().get("stream-0").get().slots()).hasSize(1);
    }

    @Test
    void aRejectedEventIsAnsweredAndCausesNoReconcile() {
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane());
        pipeline = Pipeline.start(new MemoryJournal(State.empty()), dataplane, PipelineOptions.DEFAULTS, time);
        StepVerifier.create(pipeline.submit(new RegisterTarget("stream-x", 1, List.of("10.0.0.1")), "test"))
                .assertNext(answer -> assertThat(answer).isInstanceOf(Submission.Rejected.class))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(dataplane.applies()).isZero();
    }

    @Test
    void aFullQueueRefusesWithAReason() {
        EventJournal stuck = (event, source) -> new CompletableFuture<>();
        pipeline = Pipeline.start(stuck, new FaultyDataplane(new SimulatedDataplane()),
                new PipelineOptions(Duration.ofMillis(10), 2, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO), time);
        Command event = hundredTargets().get(0);
        // The journal holds IN_FLIGHT appends waiting for their fsync; the queue holds two more.
        for (int i = 0; i < Pipeline.IN_FLIGHT + 2; i++) {
            StepVerifier.create(pipeline.submit(event, "test")).expectSubscription().expectNoEvent(Duration.ZERO)
                    .thenCancel().verify();
        }
        assertThat(pipeline.queued()).isEqualTo(2);
        StepVerifier.create(pipeline.submit(event, "test"))
                .expectErrorMessage("pipeline busy: the queue of changes waiting for the log is full (try again)")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void anApplyThatKeepsFailingIsReportedWithTheKernelsText() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane());
        dataplane.failNext(100, "RTNETLINK answers: No buffer space available");
        pipeline = Pipeline.start(new MemoryJournal(configured), dataplane,
                new PipelineOptions(Duration.ofMillis(10), 16, 2, Duration.ofMillis(100), Duration.ofSeconds(1),
                        Duration.ZERO), time);
        pipeline.submit(hundredTargets().get(0), "test").subscribe();
        time.advanceTimeBy(Duration.ofSeconds(10));
        StepVerifier.create(pipeline.reports().take(1))
                .assertNext(report -> {
                    assertThat(report.attempts()).isEqualTo(3);
                    assertThat(report.result()).isInstanceOfSatisfying(ApplyResult.Failed.class, failed ->
                            assertThat(failed.error()).isEqualTo("RTNETLINK answers: No buffer space available"));
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aFailureThatOutlastsTheRetriesIsRecordedOnceAndItsRecoveryToo() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        MemoryJournal journal = new MemoryJournal(configured);
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane());
        dataplane.failNext(10, "RTNETLINK answers: No buffer space available");
        pipeline = Pipeline.start(journal, dataplane,
                new PipelineOptions(Duration.ofMillis(10), 16, 2, Duration.ofMillis(100), Duration.ofSeconds(1),
                        Duration.ZERO), time);
        List<Command> targets = hundredTargets();
        pipeline.submit(targets.get(0), "test").subscribe();
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(journal.recorded).hasSize(2);
        assertThat(journal.recorded.get(1)).isInstanceOfSatisfying(ApplyFailed.class, failed -> {
            assertThat(failed.error()).isEqualTo("RTNETLINK answers: No buffer space available");
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.operation())
                    .isEqualTo("nft -f: tables inet meridio-nfqlb (queue to 0-3), meridio-nat, meridio-defrag");
        });
        // A newer state stuck at the same operation is not recorded again; recording the failure reconciles nothing.
        int appliesBefore = dataplane.applies();
        pipeline.submit(targets.get(1), "test").subscribe();
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(dataplane.applies()).as("retries go on at most 1 s apart").isGreaterThan(appliesBefore + 2);
        assertThat(journal.recorded).hasSize(4).last().isInstanceOf(ApplyRecovered.class);
        assertThat(journal.recorded).filteredOn(ApplyFailed.class::isInstance).hasSize(1);
        assertThat(dataplane.actual().streams().get("stream-0").get().slots()).hasSize(2);
        int settled = dataplane.applies();
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(dataplane.applies()).as("recording the recovery reconciles nothing").isEqualTo(settled);
    }

    @Test
    void drainingLogsAndReconcilesWhatWasQueuedThenEnds() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        MemoryJournal journal = new MemoryJournal(configured);
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane());
        pipeline = Pipeline.start(journal, dataplane, PipelineOptions.DEFAULTS, time);
        hundredTargets().subList(0, 5).forEach(event -> pipeline.submit(event, "test").subscribe());
        pipeline.close();
        StepVerifier.create(pipeline.submit(hundredTargets().get(5), "test"))
                .expectErrorMessage("pipeline closed: no more changes are accepted")
                .verify(Duration.ofSeconds(5));
        time.advanceTimeBy(Duration.ofMillis(10));
        assertThat(pipeline.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(journal.recorded).hasSize(5);
        assertThat(dataplane.actual().streams().get("stream-0").get().slots()).hasSize(5);
    }

    @Test
    void aChangeByHandIsRecordedAsDriftAndRepairedAtOnceWhenTold() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        MemoryJournal journal = new MemoryJournal(configured);
        SimulatedDataplane simulator = new SimulatedDataplane();
        FaultyDataplane dataplane = new FaultyDataplane(simulator);
        pipeline = Pipeline.start(journal, dataplane, PipelineOptions.DEFAULTS.withRecheckEvery(Duration.ZERO), time);
        dataplane.onChange(pipeline::recheck);
        pipeline.submit(hundredTargets().get(0), "test").subscribe();
        time.advanceTimeBy(Duration.ofMillis(10));
        DataplaneSpec applied = dataplane.actual();
        assertThat(journal.recorded).hasSize(1);

        simulator.host().deleteRule(PolicyRule.toTarget(Family.IPV4, 99, 5001));
        simulator.host().deleteRoute(new RoutingTable(Family.IPV4, 5001));
        time.advanceTimeBy(Duration.ofMillis(10));
        assertThat(journal.recorded.subList(1, journal.recorded.size()))
                .extracting(event -> ((DriftObserved) event).repair())
                .containsExactly("ip route replace default via 10.0.0.3 dev conduit-0-x table 5001",
                        "ip rule add pref 99 fwmark 0x1389 lookup 5001");
        assertThat(dataplane.actual()).as("repaired").isEqualTo(applied);
    }

    @Test
    void thePeriodicRecheckFindsWhatNoOneTold() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        MemoryJournal journal = new MemoryJournal(configured);
        SimulatedDataplane simulator = new SimulatedDataplane();
        pipeline = Pipeline.start(journal, simulator, PipelineOptions.DEFAULTS.withRecheckEvery(Duration.ofSeconds(10)),
                time);
        pipeline.submit(hundredTargets().get(0), "test").subscribe();
        time.advanceTimeBy(Duration.ofMillis(10));
        DataplaneSpec applied = simulator.actual();
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(journal.recorded).as("no drift, nothing recorded").hasSize(1);

        simulator.host().deleteVipElement(Cidr.parse("20.0.0.1/32").get());
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(journal.recorded.subList(1, journal.recorded.size()))
                .extracting(event -> ((DriftObserved) event).repair())
                .containsExactly("nft add element inet meridio-nfqlb ipv4-vips { 20.0.0.1/32 }");
        assertThat(simulator.actual()).as("repaired").isEqualTo(applied);
    }

    @Test
    void aChangeOfTheStateIsNoDrift() {
        State configured = Scenarios.fold(Scenarios.large(1, 0));
        MemoryJournal journal = new MemoryJournal(configured);
        pipeline = Pipeline.start(journal, new SimulatedDataplane(), PipelineOptions.DEFAULTS, time);
        hundredTargets().subList(0, 3).forEach(target -> pipeline.submit(target, "test").subscribe());
        time.advanceTimeBy(Duration.ofMillis(10));
        pipeline.submit(new UnregisterTarget("stream-0", 2), "test").subscribe();
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(journal.recorded).noneMatch(DriftObserved.class::isInstance);
    }
}
