package io.statelesslb.eventlog.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamContract;
import io.statelesslb.eventlog.stream.EventStreamException;
import io.statelesslb.eventlog.stream.Proposal;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * etcd keeps the event-stream contract: one member, each test under a prefix of its own; and a record changed in
 * etcd behind slb's back is found, not folded.
 */
class EtcdEventStreamTest extends EventStreamContract {

    private static EtcdCluster etcd;
    private int streams;
    private String prefix;

    @BeforeAll
    static void startEtcd() throws IOException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected EventStream open() {
        prefix = "/slb/contract-" + System.nanoTime() + "-" + ++streams + "/";
        return EtcdEventStream.connect(EtcdOptions.of(etcd.endpoints(), prefix), "lb-1", Clock.systemUTC());
    }

    @Override
    protected EventStream another() {
        return EtcdEventStream.connect(EtcdOptions.of(etcd.endpoints(), prefix), "lb-2", Clock.systemUTC());
    }

    @Test
    void aRecordChangedInEtcdByHandIsNamedWithItsKeyAndNeverFolded() throws Exception {
        EventStream stream = closeAfter(open());
        stream.append(0, List.of(new Proposal(number(1), "test", null), new Proposal(number(2), "test", null)))
                .join();
        String key = prefix + "events/00000000000000000002";
        try (Client client = Client.builder().endpoints(etcd.endpoints().toArray(URI[]::new)).build()) {
            byte[] value = client.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get().getKvs()
                    .get(0).getValue().getBytes();
            value[value.length - 2] ^= 1; // one bit of the body
            client.getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value)).get();
        }
        List<Long> read = new ArrayList<>();

        assertThatThrownBy(() -> stream.read(0, record -> read.add(record.sequence())))
                .isInstanceOf(EventStreamException.class)
                .hasMessageContaining(key).hasMessageContaining("checksum");
        assertThat(read).containsExactly(1L);
    }
}
