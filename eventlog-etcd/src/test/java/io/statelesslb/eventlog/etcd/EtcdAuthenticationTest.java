package io.statelesslb.eventlog.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import io.statelesslb.eventlog.stream.Proposal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With etcd's authentication on, the stream works with its user and password, and is refused without them. */
class EtcdAuthenticationTest {

    private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime());

    private EtcdCluster etcd;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        etcd = EtcdCluster.start(1);
        etcd.enableAuthentication(PASSWORD);
    }

    @AfterEach
    void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private EtcdOptions as(String user, String password) {
        return new EtcdOptions(etcd.endpoints(), "/slb/auth/", Optional.ofNullable(user),
                Optional.ofNullable(password), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(3));
    }

    @Test
    void theUserAndPasswordOpenTheStreamAndNothingElseDoes() {
        try (EtcdEventStream stream = EtcdEventStream.connect(as("root", PASSWORD), "lb-1", Clock.systemUTC())) {
            Appended answer = stream.append(0, List.of(new Proposal(new VipDefined("vip",
                    Cidr.parse("20.0.0.1/32").get()), "test", null))).join();
            List<Long> read = new ArrayList<>();
            stream.read(0, record -> read.add(record.sequence()));

            assertThat(answer).isInstanceOf(Appended.Written.class);
            assertThat(read).containsExactly(1L);
            assertThat(stream.describe()).doesNotContain(PASSWORD);
        }
        assertThatThrownBy(() -> EtcdEventStream.connect(as(null, null), "lb-1", Clock.systemUTC()))
                .isInstanceOf(EventStreamUnavailableException.class).hasMessageContaining("etcd refused");
        assertThatThrownBy(() -> EtcdEventStream.connect(as("root", "not-" + PASSWORD), "lb-1", Clock.systemUTC()))
                .isInstanceOf(EventStreamUnavailableException.class)
                .hasMessageNotContaining(PASSWORD);
    }
}
