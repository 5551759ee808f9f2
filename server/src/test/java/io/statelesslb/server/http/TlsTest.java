package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.eventlog.etcd.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --tls-cert and --tls-key the API speaks HTTPS only: a token sent from afar never crosses in clear. */
class TlsTest {

    @TempDir
    Path work;

    @Test
    void theApiAnswersOverTlsWithTheGivenCertificateAndNotInClear() throws Exception {
        Path cert = work.resolve("cert.pem");
        Path key = work.resolve("key.pem");
        SelfSignedCertificate.make(cert, key);
        try (HttpApi api = HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024, HttpApi.Limits.DEFAULTS,
                new HttpApi.Tls(cert, key))) {
            int port = api.address().getPort();
            SSLContext trusting = trusting(cert);
            try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(RawHttp.request("GET", "/healthz", "127.0.0.1:" + port, null)
                        .getBytes(StandardCharsets.UTF_8));
                RawHttp.Response answer = RawHttp.response(socket.getInputStream());
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).contains("ok");
            }
            try (Socket plain = new Socket("127.0.0.1", port)) {
                plain.setSoTimeout(5000);
                plain.getOutputStream().write(RawHttp.request("GET", "/healthz", "127.0.0.1:" + port, null)
                        .getBytes(StandardCharsets.UTF_8));
                InputStream in = plain.getInputStream();
                byte[] first = in.readNBytes(5);
                assertThat(new String(first, StandardCharsets.ISO_8859_1)).as("no cleartext answer")
                        .doesNotStartWith("HTTP/");
            }
        }
    }

    @Test
    void aKeyThatIsNotOneIsRefusedInTheOperatorsWords() throws IOException {
        Path cert = work.resolve("cert.pem");
        Path key = work.resolve("key.pem");
        Files.writeString(cert, "not a certificate\n");
        Files.writeString(key, "not a key\n");
        assertThatThrownBy(() -> HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024, HttpApi.Limits.DEFAULTS,
                new HttpApi.Tls(cert, key))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--tls-cert " + cert + " --tls-key " + key + ": cannot serve HTTPS with them")
                .hasMessageContaining("expected: a PEM certificate chain and its PEM private key");
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("slb", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

}
