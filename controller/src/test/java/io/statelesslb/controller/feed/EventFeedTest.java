package io.statelesslb.controller.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.eventlog.EventLog;
import io.statelesslb.eventlog.EventLogOptions;
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
        feed = new EventFeed(dir, 0, 5, 3);
    }

    @AfterEach
    void close() {
        log.close();
    }

    private RecordedEvent record(int n) {
        RecordedEvent recorded = log.append(new VipDefined("vip-" + n, Cidr.parse("20.0.0." + n + "/32").get())).join();
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
        assertThat(feed.watchers()).as("a cancelled watch is forgotten").isZero();
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
    void aWatcherThatFallsTooFarBehindGetsWhatWasBufferedThenAnErrorSoItCanResume() {
        StepVerifier.create(feed.watch(0), 0)
                .then(() -> {
                    for (int n = 1; n <= 5; n++) {
                        record(n);
                    }
                })
                .thenRequest(10)
                .expectNextCount(3)
                .expectError(WatcherTooSlowException.class)
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
