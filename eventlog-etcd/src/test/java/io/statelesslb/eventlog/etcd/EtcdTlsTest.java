package io.statelesslb.eventlog.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.eventlog.stream.Appended;
import io.statelesslb.eventlog.stream.EventStreamException;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import io.statelesslb.eventlog.stream.Proposal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TLS, with a member that asks clients for a certificate: the stream works with the CA, certificate and key it
 * is given, is refused without a client certificate, and says which files it cannot use.
 */
class EtcdTlsTest {

    @TempDir
    Path work;

    private Path cert;
    private Path key;
    private EtcdCluster etcd;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        assumeTrue(EtcdCluster.unavailable().isEmpty(), EtcdCluster.unavailable().orElse(""));
        cert = work.resolve("cert.pem");
        key = work.resolve("key.pem");
        // One self-signed certificate for 127.0.0.1: the member's, the CA it trusts, and the client's.
        SelfSignedCertificate.make(cert, key);
        etcd = EtcdCluster.startWithTls(cert, key, cert);
    }

    @AfterEach
    void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private EtcdOptions tls(Path ca, Path clientCert, Path clientKey) {
        return new EtcdOptions(etcd.tlsEndpoints(), "/slb/tls/", Optional.empty(), Optional.empty(),
                Optional.ofNullable(ca), Optional.ofNullable(clientCert), Optional.ofNullable(clientKey),
                Duration.ofSeconds(3));
    }

    @Test
    void theCaCertificateAndKeyOpenTheStreamAndAClientWithoutACertificateIsRefused() throws IOException {
        try (EtcdEventStream stream = EtcdEventStream.connect(tls(cert, cert, key), "lb-1", Clock.systemUTC())) {
            Appended answer = stream.append(0, List.of(new Proposal(new VipDefined("vip",
                    Cidr.parse("20.0.0.1/32").get()), "test", null))).join();
            assertThat(answer).isInstanceOf(Appended.Written.class);
            assertThat(stream.describe()).startsWith("etcd https://127.0.0.1:");
        }
        assertThatThrownBy(() -> EtcdEventStream.connect(tls(cert, null, null), "lb-1", Clock.systemUTC()))
                .isInstanceOf(EventStreamUnavailableException.class).hasMessageContaining("etcd");
        Path notACertificate = Files.writeString(work.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> EtcdEventStream.connect(tls(notACertificate, cert, key), "lb-1",
                Clock.systemUTC()))
                .isInstanceOf(EventStreamException.class).hasMessageContaining("TLS files cannot be used");
    }
}
