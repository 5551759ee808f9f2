package io.statelesslb.controller.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
import io.statelesslb.eventlog.LocalEventStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class EventFeedTest {

    @TempDir
    Path dir;

    private EventLog log;
    private EventFeed feed;

    @BeforeEach
    void open() {
        log = EventLog.open(dir, EventLogOptions.DEFAULTS, Clock.systemUTC(), 0, record -> { });
        // Only the last 5 events stay in memory; a watcher may fall 3 behind.
        feed = new EventFeed(new LocalEventStream(log), 0, 5, 3);
    }

    @AfterEach
    void close() {
        log.close();
    }

    private RecordedEvent record(int n) {
        Cidr address = Cidr.parse("20.0." + n / 250 + "." + n % 250 + "/32").get();
        RecordedEvent recorded = log.append(new VipDefined("vip-" + n, address)).join();
        feed.publish(recorded);
        return recorded;
    }

    @Test
    void aWatchResumesFromTheLogBeforeTheRetainedEventsThenFollows() {
        for (int n = 1; n <= 20; n++) {
            record(n);
        }
        StepVerifier.create(feed.watch(3).map(RecordedEvent::sequence).take(18))
                .expectNext(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L)
                .then(() -> record(21))
                .expectNext(21L)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        // Forgotten once the cancellation has gone up the chain, which may finish just after the last event.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (feed.watchers() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(feed.watchers()).as("a cancelled watch is forgotten").isZero();
    }

    @Test
    void aWatchFromFarBackReadsTheLogAsItIsAskedAndMeetsTheEventsRecordedMeanwhile() {
        for (int n = 1; n <= 1_000; n++) {
            record(n);
        }
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, 1_030).boxed().toList();
        StepVerifier.create(feed.watch(0).map(RecordedEvent::sequence).take(1_030), 10)
                .expectNextSequence(expected.subList(0, 10))
                .then(() -> {
                    // Recorded while the watcher is at 10: the history it has not read yet grows.
                    for (int n = 1_001; n <= 1_020; n++) {
                        record(n);
                    }
                })
                .thenRequest(1_000)
                .expectNextSequence(expected.subList(10, 1_010))
                .then(() -> {
                    for (int n = 1_021; n <= 1_030; n++) {
                        record(n);
                    }
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNextSequence(expected.subList(1_010, 1_030))
                .expectComplete()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void closingTheFeedEndsEveryWatchAndLaterOnesAtOnce() {
        for (int n = 1; n <= 20; n++) {
            record(n);
        }
        StepVerifier.create(feed.watch(2).map(RecordedEvent::sequence))
                .expectNextCount(18)
                .then(feed::close)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(feed.watch(0).map(RecordedEvent::sequence))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aListPagesThroughDiskAndMemoryInOrder() {
        for (int n = 1; n <= 12; n++) {
            record(n);
        }
        List<RecordedEvent> page = feed.list(2, 8);
        assertThat(page).extracting(RecordedEvent::sequence).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(page.get(0).event()).isEqualTo(new VipDefined("vip-3", Cidr.parse("20.0.0.3/32").get()));
        assertThat(feed.list(10, 100)).extracting(RecordedEvent::sequence).containsExactly(11L, 12L);
        assertThat(feed.list(12, 100)).isEmpty();
    }

    @Test
    void aWatcherThatFallsTooFarBehindIsEndedAtOnceAndResumesFromTheLastEventItTook() {
        StepVerifier.create(feed.watch(0), 1)
                .then(() -> record(1))
                .expectNextMatches(event -> event.sequence() == 1)
                .then(() -> {
                    // More than it may buffer (3) beyond what it asked for, and what is prefetched on its way.
                    for (int n = 2; n <= 100; n++) {
                        record(n);
                    }
                })
                // Nothing buffered is held for it: it ends before it asks for more.
                .expectError(WatcherTooSlowException.class)
                .verify(Duration.ofSeconds(10));
        assertThat(feed.watchers()).isZero();
        StepVerifier.create(feed.watch(1).map(RecordedEvent::sequence).take(5))
                .expectNext(2L, 3L, 4L, 5L, 6L)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aWatcherThatTakesItsTimeNeverHoldsUpTheWriterThatPublishes() throws InterruptedException {
        CountDownLatch slowStarted = new CountDownLatch(1);
        feed.watch(0).publishOn(Schedulers.immediate()).subscribe(event -> {
            slowStarted.countDown();
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        record(1);
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        for (int n = 2; n <= 3; n++) {
            record(n);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("publishing while a watcher sleeps")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aWatchersHistoryIsReadOffTheSubscribersThread() {
        for (int n = 1; n <= 20; n++) {
            record(n);
        }
        String caller = Thread.currentThread().getName();
        List<String> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.create(feed.watch(0).take(3).doOnNext(event -> readers.add(Thread.currentThread().getName())))
                .expectNextCount(3)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(readers).isNotEmpty().noneMatch(caller::equals);
    }
}
