package io.statelesslb.eventlog.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every event stream does, whatever holds it: the local log and etcd both run this suite. A store that
 * several instances share is also checked with a second writer on the same stream.
 */
public abstract class EventStreamContract {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @return a new, empty stream */
    protected abstract EventStream open();

    /**
     * @return another writer on the stream {@link #open()} last returned
     * @throws RuntimeException when the store has one writer only, as a local log has
     */
    protected abstract EventStream another();

    protected final <T extends AutoCloseable> T closeAfter(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    protected static Event number(long n) {
        return new TargetRegistered("stream-" + n, (int) (n % 100) + 1, List.of(IpAddress.ipv4(0x0A000001
                | (int) (n % 250) << 8)));
    }

    private static List<Proposal> numbers(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> new Proposal(number(n), "test", null)).toList();
    }

    private static Appended.Written written(CompletableFuture<Appended> append) {
        Appended answer = append.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(answer).isInstanceOf(Appended.Written.class);
        return (Appended.Written) answer;
    }

    private static List<StreamRecord> readAll(EventStream stream, long after) {
        List<StreamRecord> records = new ArrayList<>();
        stream.read(after, records::add);
        return records;
    }

    @Test
    void appendsTakeTheNextSequencesAndReadBackAsWritten() {
        EventStream stream = closeAfter(open());
        assertThat(stream.lastSequence()).isZero();

        Appended.Written first = written(stream.append(0, numbers(1, 3)));
        Appended.Written second = written(stream.append(3, List.of(new Proposal(number(4), null, null),
                new Proposal(new InterfaceUp("nsm-1", List.of(), 1500), "kernel", "lb-1"))));

        assertThat(first.recorded()).extracting(RecordedEvent::sequence).containsExactly(1L, 2L, 3L);
        assertThat(second.recorded()).extracting(RecordedEvent::sequence).containsExactly(4L, 5L);
        assertThat(stream.lastSequence()).isEqualTo(5);
        List<StreamRecord> records = readAll(stream, 0);
        assertThat(records).extracting(StreamRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        List<RecordedEvent> all = new ArrayList<>(first.recorded());
        all.addAll(second.recorded());
        assertThat(records).extracting(StreamRecord::recorded).containsExactlyElementsOf(all);
        List<Long> fingerprints = new ArrayList<>(first.fingerprints());
        fingerprints.addAll(second.fingerprints());
        assertThat(records).extracting(StreamRecord::fingerprint).containsExactlyElementsOf(fingerprints);
        assertThat(records.get(4).recorded().instance()).isEqualTo("lb-1");
        assertThat(records.get(3).recorded().source()).isNull();
    }

    @Test
    void anAppendDecidedAgainstAnOlderEndIsRefusedAndWritesNothing() {
        EventStream stream = closeAfter(open());
        written(stream.append(0, numbers(1, 2)));

        Appended stale = stream.append(1, numbers(10, 11)).join();
        Appended ahead = stream.append(5, numbers(12, 12)).join();

        assertThat(stale).isEqualTo(new Appended.Conflict(1, 2));
        assertThat(ahead).isEqualTo(new Appended.Conflict(5, 2));
        assertThat(readAll(stream, 0)).extracting(record -> record.recorded().event())
                .containsExactly(number(1), number(2));
        assertThat(stream.lastSequence()).isEqualTo(2);
    }

    @Test
    void appendsMadeWithoutWaitingAreTriedInOrderAndAChainBrokenEarlyIsRefusedAfterTheBreak() {
        EventStream stream = closeAfter(open());
        List<CompletableFuture<Appended>> appends = new ArrayList<>();
        for (long n = 1; n <= 20; n++) {
            appends.add(stream.append(n - 1, numbers(n, n)));
        }
        // The second link of this chain is decided against an end the stream never has.
        CompletableFuture<Appended> broken = stream.append(7, numbers(99, 99));
        CompletableFuture<Appended> afterBreak = stream.append(8, numbers(100, 100));

        for (int i = 0; i < 20; i++) {
            assertThat(written(appends.get(i)).recorded().get(0).sequence()).isEqualTo(i + 1);
        }
        assertThat(broken.join()).isEqualTo(new Appended.Conflict(7, 20));
        assertThat(afterBreak.join()).isEqualTo(new Appended.Conflict(8, 20));
        assertThat(readAll(stream, 0)).extracting(record -> record.recorded().event())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).mapToObj(EventStreamContract::number)
                        .toList());
    }

    @Test
    void historyIsReadAPageAtATimeFromAnySequence() {
        EventStream stream = closeAfter(open());
        written(stream.append(0, numbers(1, 50)));
        List<StreamRecord> page = new ArrayList<>();

        assertThat(stream.read(10, 15, page::add)).isEqualTo(15);
        assertThat(page).extracting(StreamRecord::sequence).containsExactlyElementsOf(
                LongStream.rangeClosed(11, 25).boxed().toList());
        assertThat(stream.read(45, 100, record -> { })).isEqualTo(5);
        assertThat(stream.read(50, 100, record -> { })).isZero();
    }

    @Test
    void aWatchHandsTheHistoryThenEveryNewRecordInOrderAndEachOnce() throws Exception {
        EventStream stream = closeAfter(open());
        written(stream.append(0, numbers(1, 30)));
        List<Long> seen = new CopyOnWriteArrayList<>();

        closeAfter(stream.watch(10, record -> seen.add(record.sequence())));
        for (long n = 31; n <= 60; n += 5) {
            written(stream.append(n - 1, numbers(n, n + 4)));
        }

        awaitSize(seen, 50);
        // A record handed twice would come after the fifty: give it the time to.
        Thread.sleep(300);
        assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(11, 60).boxed().toList());
    }

    @Test
    void aSnapshotIsKeptAndFoundAgainButNotBeyondTheAskedSequence() {
        EventStream stream = closeAfter(open());
        written(stream.append(0, numbers(1, 5)));
        long follows = readAll(stream, 4).get(0).fingerprint();
        List<String> skipped = new ArrayList<>();

        assertThat(stream.latestSnapshot(Long.MAX_VALUE, skipped::add)).isEmpty();
        stream.saveSnapshot(new StreamSnapshot(5, follows, new byte[] {1, 2, 3}, ""));

        StreamSnapshot found = stream.latestSnapshot(Long.MAX_VALUE, skipped::add).orElseThrow();
        assertThat(found.sequence()).isEqualTo(5);
        assertThat(found.follows()).isEqualTo(follows);
        assertThat(found.body()).containsExactly(1, 2, 3);
        assertThat(stream.latestSnapshot(4, skipped::add)).isEmpty();
    }

    @Test
    void twoWritersOfOneStreamNeverBothWinTheSameSequenceAndEachSeesTheOther() {
        EventStream first = closeAfter(open());
        if (!first.shared()) {
            // A stream of one machine has one writer: a second one is refused, not left to race.
            assertThatThrownBy(this::another).hasMessageContaining(first.describe().replaceFirst(".* ", ""));
            return;
        }
        EventStream second = closeAfter(another());
        List<Long> seenBySecond = new CopyOnWriteArrayList<>();
        closeAfter(second.watch(0, record -> seenBySecond.add(record.sequence())));

        written(first.append(0, numbers(1, 1)));
        Appended late = second.append(0, numbers(2, 2)).join();
        Appended.Written retried = written(second.append(1, numbers(2, 2)));

        assertThat(late).isEqualTo(new Appended.Conflict(0, 1));
        assertThat(retried.recorded().get(0).sequence()).isEqualTo(2);
        awaitSize(seenBySecond, 2);
        assertThat(seenBySecond).containsExactly(1L, 2L);
        assertThat(readAll(first, 0)).extracting(record -> record.recorded().event())
                .containsExactly(number(1), number(2));
    }

    /** Waits up to 20 s for {@code list} to hold {@code size} elements, then asserts it does. */
    public static void awaitSize(List<?> list, int size) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }
}
