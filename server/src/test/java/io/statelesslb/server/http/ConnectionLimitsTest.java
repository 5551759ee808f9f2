package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client holds a connection only while it uses it: idle sockets, slow senders and floods are let go. */
class ConnectionLimitsTest {

    private static final HttpApi.Limits SHORT = new HttpApi.Limits(Duration.ofMillis(800), Duration.ofMillis(800), 4,
            Duration.ofMillis(800));

    @Test
    void anIdleConnectionIsClosed() throws IOException {
        try (HttpApi api = HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024, SHORT);
             Socket idle = new Socket("127.0.0.1", api.address().getPort())) {
            idle.setSoTimeout(10_000);
            long started = System.nanoTime();
            assertThat(idle.getInputStream().read()).as("closed by the daemon").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRequestSentByteByByteTooSlowlyIsCutOff() throws IOException, InterruptedException {
        try (HttpApi api = HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024, SHORT);
             Socket slow = new Socket("127.0.0.1", api.address().getPort())) {
            slow.setSoTimeout(10_000);
            byte[] request = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + api.address().getPort()
                    + "\r\nX-Slow: " + "x".repeat(40) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            long started = System.nanoTime();
            boolean cut = false;
            for (byte b : request) {
                try {
                    slow.getOutputStream().write(b);
                    slow.getOutputStream().flush();
                } catch (IOException e) {
                    cut = true;
                    break;
                }
                Thread.sleep(300);
            }
            int answer = cut ? -1 : slow.getInputStream().read();
            assertThat(answer).as("a slowloris gets no answer: its connection is closed").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aWatcherThatDoesNotReadIsDisconnectedOnceItsWritesStall(@TempDir Path work) throws Exception {
        DaemonOptions options = DaemonOptions.defaults(work.resolve("data")).withListen("127.0.0.1", 0)
                .withLimits(new HttpApi.Limits(Duration.ofSeconds(60), Duration.ofSeconds(10), 16,
                        Duration.ofSeconds(1)));
        try (TestDaemon slb = TestDaemon.start(options)) {
            slb.daemon.controller().submitAll(List.of(new DefineTrench("t")), "test");
            // Far more history than the socket buffers hold (some 3,000 frames of 150 bytes).
            for (int chunk = 0; chunk < 6; chunk++) {
                List<Command> vips = new ArrayList<>();
                for (int n = 0; n < 500; n++) {
                    vips.add(new DefineVip("v" + chunk + "-" + n, "20." + chunk + "." + n / 250 + "." + n % 250
                            + "/32"));
                }
                slb.daemon.controller().submitAll(vips, "test");
            }
            int port = slb.daemon.address().getPort();
            try (Socket silent = new Socket()) {
                silent.setReceiveBufferSize(4096);
                silent.connect(new InetSocketAddress("127.0.0.1", port));
                silent.getOutputStream().write(("GET /v1/events/watch?after=0 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                Thread.sleep(3_000); // it does not read: the daemon's writes stall for longer than the limit
                silent.setSoTimeout(10_000);
                InputStream in = silent.getInputStream();
                long bytes = 0;
                try {
                    for (int read = in.read(new byte[8192]); read >= 0; read = in.read(new byte[8192])) {
                        bytes += read;
                    }
                } catch (SocketException reset) {
                    // Closed by the daemon while data was still in flight: a reset, as good as the end.
                }
                // A watch never ends by itself: the end of the stream is the daemon letting the connection go.
                assertThat(bytes).as("bytes of history taken before the end").isLessThan(3_000L * 150);
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndTheOthersServed() throws IOException {
        try (HttpApi api = HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024, new HttpApi.Limits(
                Duration.ofSeconds(30), Duration.ofSeconds(30), 4, Duration.ofSeconds(30)))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(new Socket("127.0.0.1", api.address().getPort()));
                }
                try (Socket fifth = new Socket("127.0.0.1", api.address().getPort())) {
                    fifth.setSoTimeout(5000);
                    fifth.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:"
                            + api.address().getPort() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    int read;
                    try {
                        read = fifth.getInputStream().read();
                    } catch (IOException e) {
                        read = -1;
                    }
                    assertThat(read).as("the fifth connection is closed unanswered").isEqualTo(-1);
                }
                Socket first = held.get(0);
                first.setSoTimeout(5000);
                first.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + api.address().getPort()
                        + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                InputStream in = first.getInputStream();
                assertThat(RawHttp.status(in)).isEqualTo(200);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
