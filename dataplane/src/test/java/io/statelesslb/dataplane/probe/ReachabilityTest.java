package io.statelesslb.dataplane.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.dataplane.probe.Reachability.Verdict;
import io.statelesslb.domain.net.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    private static final IpAddress TARGET = IpAddress.parse("172.16.1.6").get();
    private static final long MS = 1_000_000L;

    private final Reachability reachability = new Reachability(Reachability.Settings.DEFAULTS);
    private long now;
    private long lastHeard = Long.MIN_VALUE;

    /** Checks every 500 ms for {@code millis}; the target answers each probe while {@code answering}. */
    private Verdict run(long millis, boolean answering) {
        Verdict verdict = reachability.verdict(TARGET);
        for (long end = now + millis * MS; now < end; ) {
            now += 500 * MS;
            if (answering) {
                lastHeard = now - 5 * MS; // the answer to the probe sent at the start of the check
            }
            verdict = reachability.check(TARGET, now, lastHeard == Long.MIN_VALUE ? null
                    : Duration.ofNanos(now - lastHeard));
        }
        return verdict;
    }

    @Test
    void aNeighbourThatAnswersIsUpAfterTwoChecks() {
        assertThat(run(500, true)).isEqualTo(Verdict.UNKNOWN);
        assertThat(run(500, true)).isEqualTo(Verdict.UP);
    }

    @Test
    void aSilentNeighbourIsDownOnceNothingWasHeardForThreeIntervals() {
        run(2000, true);
        assertThat(run(1000, false)).as("heard 1 s ago").isEqualTo(Verdict.UP);
        assertThat(run(500, false)).as("heard 1.5 s ago").isEqualTo(Verdict.DOWN);
    }

    @Test
    void aNeighbourNeverHeardIsDownOnceTheWindowHasPassedSinceItsFirstCheck() {
        assertThat(run(1500, false)).isEqualTo(Verdict.UNKNOWN);
        assertThat(run(500, false)).isEqualTo(Verdict.DOWN);
    }

    @Test
    void anEntryTheKernelConfirmedLongAgoIsNotDownBeforeTheNeighbourWasAsked() {
        // A restart finds the previous run's entry, last confirmed 10 s ago: nothing is known until probes go out.
        now = 60_000 * MS;
        lastHeard = now - 10_000 * MS;
        assertThat(run(1000, false)).as("1 s of probing, no answer yet").isEqualTo(Verdict.UNKNOWN);
        assertThat(run(500, true)).as("it answers").isEqualTo(Verdict.UNKNOWN);
        assertThat(run(500, true)).isEqualTo(Verdict.UP);
        Reachability fresh = new Reachability(Reachability.Settings.DEFAULTS);
        long start = 60_000 * MS;
        fresh.check(TARGET, start, Duration.ofSeconds(10));
        assertThat(fresh.check(TARGET, start + 1500 * MS, Duration.ofMillis(11_500)))
                .as("silent for three intervals since it was first asked").isEqualTo(Verdict.DOWN);
    }

    @Test
    void aNeighbourThatAnswersAgainIsUpWithinASecond() {
        run(2000, true);
        run(2000, false);
        assertThat(reachability.verdict(TARGET)).isEqualTo(Verdict.DOWN);
        assertThat(run(500, true)).isEqualTo(Verdict.DOWN);
        assertThat(run(500, true)).isEqualTo(Verdict.UP);
    }

    @Test
    void aFlappingNeighbourIsHeldDownUntilItsPenaltyDecays() {
        run(1000, true);
        for (int flap = 0; flap < 2; flap++) {
            run(1500, false);
            run(1000, true);
            assertThat(reachability.verdict(TARGET)).as("flap %d", flap).isEqualTo(Verdict.UP);
        }
        run(1500, false);
        assertThat(reachability.suppressed(TARGET)).as("a third loss in seconds").isTrue();
        assertThat(run(20_000, true)).as("answering, but held down").isEqualTo(Verdict.DOWN);
        // 3000 halves every 15 s: below 750 after 30 s.
        assertThat(run(15_000, true)).isEqualTo(Verdict.UP);
        assertThat(reachability.suppressed(TARGET)).isFalse();
    }

    @Test
    void neighboursNoLongerProbedAreForgotten() {
        run(1000, true);
        reachability.retain(java.util.Set.of());
        assertThat(reachability.verdict(TARGET)).isEqualTo(Verdict.UNKNOWN);
    }
}
