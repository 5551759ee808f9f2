package io.statelesslb.dataplane.probe;

import io.statelesslb.domain.net.IpAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether each probed neighbour (a target's address) answers, judged as BFD judges a session: a neighbour is
 * probed every {@code interval}; it is down once nothing was heard from it for {@code downAfter} intervals, and up
 * again once it was heard on {@code upAfter} checks in a row. A flapping neighbour is damped as BGP damps a flapping
 * route (RFC 2439): each loss adds {@value #PENALTY} to a penalty that halves every {@code halfLife}; above
 * {@value #SUPPRESS} it is held down until the penalty falls below {@value #REUSE}.
 *
 * <p>Pure: time comes in with each check. Not thread-safe: one prober owns it.
 */
public final class Reachability {

    /** What one loss adds to a neighbour's penalty. */
    public static final int PENALTY = 1000;
    /** Above this penalty, a neighbour is held down. */
    public static final int SUPPRESS = 2000;
    /** Below this penalty, a held-down neighbour may come up again. */
    public static final int REUSE = 750;

    /** What is known of a neighbour. */
    public enum Verdict { UNKNOWN, UP, DOWN }

    /**
     * How neighbours are judged.
     *
     * @param interval  how often each is probed and checked
     * @param downAfter intervals without an answer before it is down
     * @param upAfter   checks in a row with an answer before it is up again
     * @param halfLife  how fast a flapping neighbour's penalty decays
     */
    public record Settings(Duration interval, int downAfter, int upAfter, Duration halfLife) {

        /** Probes every 500 ms; down after 3 silent intervals (1.5 s), up after 2 answered checks (1 s). */
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(500), 3, 2, Duration.ofSeconds(15));

        public Settings {
            if (interval.toMillis() < 10 || downAfter < 1 || upAfter < 1 || halfLife.isNegative()
                    || halfLife.isZero()) {
                throw new IllegalArgumentException("probe interval=" + interval.toMillis() + "ms, downAfter="
                        + downAfter + ", upAfter=" + upAfter + " (expected: an interval of 10 ms or more, thresholds"
                        + " of 1 or more)");
            }
        }
    }

    private final Settings settings;
    private final Map<IpAddress, Neighbour> neighbours = new HashMap<>();

    public Reachability(Settings settings) {
        this.settings = settings;
    }

    /** @return the settings it judges by */
    public Settings settings() {
        return settings;
    }

    /**
     * Judges a neighbour at a check.
     *
     * @param address     the neighbour
     * @param nowNanos    the time of the check
     * @param heardAgo    how long ago it last answered (the kernel's confirmation age), or null when never
     * @return the verdict after this check
     */
    public Verdict check(IpAddress address, long nowNanos, Duration heardAgo) {
        Neighbour neighbour = neighbours.computeIfAbsent(address, a -> new Neighbour(nowNanos));
        neighbour.decay(nowNanos, settings.halfLife().toNanos());
        long interval = settings.interval().toNanos();
        boolean heardLately = heardAgo != null && heardAgo.toNanos() <= interval;
        // Silence counts from when probing began at the earliest: an entry the kernel last confirmed long before
        // (a restart finds the previous run's) says nothing yet of a neighbour that was not asked.
        long tracked = nowNanos - neighbour.trackedSince;
        long silence = heardAgo == null ? tracked : Math.min(heardAgo.toNanos(), tracked);
        boolean silentTooLong = silence >= interval * settings.downAfter();
        neighbour.answeredInARow = heardLately ? neighbour.answeredInARow + 1 : 0;
        switch (neighbour.verdict) {
            case UP -> {
                if (silentTooLong) {
                    neighbour.verdict = Verdict.DOWN;
                    neighbour.penalty += PENALTY;
                    neighbour.suppressed = neighbour.penalty > SUPPRESS;
                }
            }
            case DOWN, UNKNOWN -> {
                if (neighbour.suppressed && neighbour.penalty < REUSE) {
                    neighbour.suppressed = false;
                }
                if (neighbour.answeredInARow >= settings.upAfter() && !neighbour.suppressed) {
                    neighbour.verdict = Verdict.UP;
                } else if (neighbour.verdict == Verdict.UNKNOWN && silentTooLong) {
                    neighbour.verdict = Verdict.DOWN;
                }
            }
            default -> throw new IllegalStateException("unreachable: every verdict is handled");
        }
        return neighbour.verdict;
    }

    /** @return the verdict of {@code address}: unknown when it is not probed */
    public Verdict verdict(IpAddress address) {
        Neighbour neighbour = neighbours.get(address);
        return neighbour == null ? Verdict.UNKNOWN : neighbour.verdict;
    }

    /** @return whether {@code address} is held down for flapping */
    public boolean suppressed(IpAddress address) {
        Neighbour neighbour = neighbours.get(address);
        return neighbour != null && neighbour.suppressed;
    }

    /** Stops judging the neighbours not in {@code probed}: they are no longer anyone's target. */
    public void retain(Set<IpAddress> probed) {
        neighbours.keySet().retainAll(probed);
    }

    private static final class Neighbour {
        final long trackedSince;
        Verdict verdict = Verdict.UNKNOWN;
        int answeredInARow;
        double penalty;
        long decayedAt;
        boolean suppressed;

        Neighbour(long trackedSince) {
            this.trackedSince = trackedSince;
            this.decayedAt = trackedSince;
        }

        void decay(long nowNanos, long halfLifeNanos) {
            penalty *= Math.pow(0.5, (double) (nowNanos - decayedAt) / halfLifeNanos);
            decayedAt = nowNanos;
        }
    }
}
