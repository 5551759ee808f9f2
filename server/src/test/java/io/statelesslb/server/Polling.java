package io.statelesslb.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** How the tests wait for what a daemon does on its own time: they poll, with a deadline and a reason. */
public final class Polling {

    private Polling() {
    }

    /** Waits until {@code condition} holds, polling every 20 ms; fails with {@code explanation} after the timeout. */
    public static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> explanation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + explanation.get());
            }
            pause(20);
        }
    }

    /** Sleeps {@code millis}, failing the test if interrupted. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
