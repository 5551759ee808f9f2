package io.statelesslb.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.LocalEventStream;
import io.statelesslb.eventlog.stream.Proposal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store on a shared stream tells (its answers, the records other instances appended) never makes a
 * submitter wait for a listener: the pipeline submits under its own lock, and the follower it is told through takes
 * that lock. The daemon deadlocked there once (an API write and an etcd watch delivery at the same moment).
 */
class SharedStoreTellingTest {

    @TempDir
    Path dir;

    @Test
    void aSubmitterHoldingTheLockTheFollowerWaitsForIsNotKeptWaitingByIt() throws Exception {
        LocalEventStream local = new LocalEventStream(EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(),
                0, record -> { }));
        ReentrantLock pipelineLock = new ReentrantLock();
        CountDownLatch followerTold = new CountDownLatch(1);
        CompletableFuture<Boolean> followerGotTheLock = new CompletableFuture<>();
        try (EventStore store = EventStore.open(new SharedLocalStream(local), "lb-a", EventStoreOptions.DEFAULTS)) {
            store.follow((event, state) -> {
                followerTold.countDown();
                try {
                    followerGotTheLock.complete(pipelineLock.tryLock(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    if (pipelineLock.isHeldByCurrentThread()) {
                        pipelineLock.unlock();
                    }
                }
            });
            CompletableFuture<Submission> submitted;
            pipelineLock.lock();
            try {
                // Another instance appends; the watch tells the follower, which now waits for the lock held here.
                Thread other = new Thread(() -> local.append(0, List.of(new Proposal(new TrenchDefined("trench-a"),
                        "lb-b", null))).join(), "lb-b");
                other.start();
                assertThat(followerTold.await(10, TimeUnit.SECONDS)).as("the follower was told").isTrue();
                submitted = store.submit(new DefineConduit("conduit-a", "conduit-a-", List.of()), "lb-a");
            } finally {
                pipelineLock.unlock();
            }
            assertThat(followerGotTheLock.get(20, TimeUnit.SECONDS))
                    .as("the follower had the lock within its 10 s: the submitter did not wait for it").isTrue();
            assertThat(submitted.get(10, TimeUnit.SECONDS)).isInstanceOf(Submission.Recorded.class);
        }
    }
}
