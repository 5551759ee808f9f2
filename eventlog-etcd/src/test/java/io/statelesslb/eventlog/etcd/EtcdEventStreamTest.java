package io.statelesslb.eventlog.etcd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statelesslb.eventlog.stream.EventStream;
import io.statelesslb.eventlog.stream.EventStreamContract;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** etcd keeps the event-stream contract: one member, each test under a prefix of its own. */
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
}
