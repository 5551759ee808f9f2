package io.statelesslb.eventlog.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamContract;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import io.statelesslb.eventlog.stream.Proposal;
import io.statelesslb.eventlog.stream.StreamRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream on a 3-member etcd cluster on loopback ports: it keeps every acknowledged record and its order through
 * the loss of a member, of the leader, and of the quorum (when it refuses writes, says why, and resumes its watch
 * from the last record it handed once the quorum is back).
 */
class EtcdClusterFailureTest {

    private EtcdCluster etcd;
    private EventStream stream;
    private final List<Long> watched = new CopyOnWriteArrayList<>();
    private AutoCloseable watch;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        etcd = EtcdCluster.start(3);
        stream = EtcdEventStream.connect(options(), "lb-1", Clock.systemUTC());
        watch = stream.watch(0, record -> watched.add(record.sequence()));
    }

    private EtcdOptions options() {
        return new EtcdOptions(etcd.endpoints(), "/slb/failures/", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (stream != null) {
            stream.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static Event number(long n) {
        return new TargetRegistered("stream-" + n, 1, List.of(IpAddress.ipv4(0x0A000001)));
    }

    /**
     * Appends {@code count} records one by one, retrying a write the cluster could not take (as the store does on
     * the operator's next try), and returns the sequences acknowledged.
     */
    private List<Long> appendAcknowledged(int count, Runnable midway) {
        List<Long> acknowledged = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < count && System.nanoTime() < deadline) {
            if (acknowledged.size() == count / 2 && midway != null) {
                midway.run();
                midway = null;
            }
            long last = stream.lastSequence();
            try {
                Appended answer = stream.append(last, List.of(new Proposal(number(last + 1), "test", null))).join();
                if (answer instanceof Appended.Written written) {
                    acknowledged.add(written.recorded().get(0).sequence());
                }
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(EventStreamUnavailableException.class);
            }
        }
        return acknowledged;
    }

    private List<Long> everySequence() {
        List<Long> sequences = new ArrayList<>();
        stream.read(0, record -> sequences.add(record.sequence()));
        return sequences;
    }

    private List<Event> everyEvent() {
        List<Event> events = new ArrayList<>();
        stream.read(0, (StreamRecord record) -> events.add(record.recorded().event()));
        return events;
    }

    @Test
    void aMemberKilledLosesNothingAcknowledgedAndCatchesUpWhenItReturns() throws IOException {
        int victim = (etcd.leader() + 1) % etcd.size();
        List<Long> acknowledged = appendAcknowledged(100, () -> etcd.kill(victim));
        etcd.restart(victim);

        assertThat(acknowledged).hasSize(100);
        assertThat(everySequence()).containsAll(acknowledged).isSortedAccordingTo(Long::compare);
        // The stream has no gap and no sequence twice, whoever answered.
        assertThat(everySequence()).containsExactlyElementsOf(LongStream.rangeClosed(1, stream.lastSequence())
                .boxed().toList());
        assertThat(everyEvent()).containsExactlyElementsOf(LongStream.rangeClosed(1, stream.lastSequence())
                .mapToObj(EtcdClusterFailureTest::number).toList());
    }

    @Test
    void theLeaderKilledMidStreamCostsAnElectionNotARecord() {
        int leader = etcd.leader();
        List<Long> acknowledged = appendAcknowledged(100, () -> etcd.kill(leader));

        assertThat(acknowledged).hasSize(100);
        assertThat(etcd.leader()).isNotEqualTo(leader);
        assertThat(everySequence()).containsAll(acknowledged);
        assertThat(everySequence()).containsExactlyElementsOf(LongStream.rangeClosed(1, stream.lastSequence())
                .boxed().toList());
        EventStreamContract.awaitSize(watched, (int) stream.lastSequence());
        assertThat(watched).containsExactlyElementsOf(everySequence());
    }

    @Test
    void withoutAQuorumWritesAreRefusedWithTheReasonAndTheWatchResumesWhereItStopped() throws IOException {
        List<Long> before = appendAcknowledged(20, null);
        int leader = etcd.leader();
        int other = (leader + 1) % 3;
        etcd.kill(leader);
        etcd.kill(other);

        assertThatThrownBy(() -> stream.append(stream.lastSequence(), List.of(new Proposal(number(999), "test",
                null))).join())
                .hasCauseInstanceOf(EventStreamUnavailableException.class)
                .hasMessageContaining("etcd");
        assertThat(stream.unavailable()).hasValueSatisfying(reason -> assertThat(reason).contains("etcd"));

        etcd.restart(leader);
        etcd.restart(other);
        List<Long> after = appendAcknowledged(20, null);

        assertThat(before).hasSize(20);
        assertThat(after).hasSize(20);
        assertThat(stream.unavailable()).isEmpty();
        EventStreamContract.awaitSize(watched, (int) stream.lastSequence());
        // Each record once, in order: the watch resumed after the last one it handed, not from the beginning.
        assertThat(watched).containsExactlyElementsOf(LongStream.rangeClosed(1, stream.lastSequence()).boxed()
                .toList());
    }
}
