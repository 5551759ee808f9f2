package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client holds a connection only while it uses it: idle sockets, slow senders and floods are let go. */
class ConnectionLimitsTest {

    private static final HttpApi.Limits SHORT = new HttpApi.Limits(Duration.ofMillis(800), Duration.ofMillis(800), 4);

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
    void connectionsBeyondTheLimitAreRefusedAndTheOthersServed() throws IOException {
        try (HttpApi api = HttpApi.bind(() -> "", "127.0.0.1", 0, null, 1024, new HttpApi.Limits(
                Duration.ofSeconds(30), Duration.ofSeconds(30), 4))) {
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
