package io.statelesslb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.testing.FaultyDataplane;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.sim.SimulatedDataplane;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whoever waits for an event to be applied is answered, even when the reconcile after it failed unexpectedly. */
class AppliedWaitTest {

    @TempDir
    Path dir;

    @Test
    void aReconcileThatBrokeIsRedoneWhileSomeoneWaitsThoughNothingElseWouldRecheck() {
        ControllerOptions noRechecks = ControllerOptions.defaults(dir)
                .withPipeline(ControllerOptions.defaults(dir).pipeline().withRecheckEvery(Duration.ZERO));
        FaultyDataplane dataplane = new FaultyDataplane(new SimulatedDataplane()).breakNext(1);
        try (TrenchController controller = TrenchController.open(noRechecks, dataplane, ControllerListener.NONE)) {
            Submission recorded = controller.submit(new DefineTrench("trench-a")).block(Duration.ofSeconds(10));
            assertThat(recorded).isInstanceOf(Submission.Recorded.class);
            long sequence = ((Submission.Recorded) recorded).event().sequence();
            Pipeline.Report applied = controller.applied(sequence).block(Duration.ofSeconds(10));
            assertThat(applied.applied()).isTrue();
            assertThat(applied.sequence()).isEqualTo(sequence);
            assertThat(dataplane.applies()).as("the broken apply, then the one the wait asked for").isGreaterThan(1);
            assertThat(dataplane.actual().queueing()).as("the trench's tables are there").isNotEmpty();
        }
    }
}
