package io.statelesslb.bird;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.dataplane.routing.RoutingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's protocol against a stand-in that answers with replies captured from BIRD 2.0.12. */
class BirdControlTest {

    @TempDir
    Path work;

    /** {@code show protocols all} of a load balancer whose v4 session is established and v6 one is not. */
    static final String PROTOCOLS = """
            2002-Name       Proto      Table      State  Since         Info
            1002-slb_device Device     ---        up     1796535248\s\s\s\s
            1006-
            1002-gw_gateway_a_v4_2ae5ec6d BGP        ---        up     1796535300    Established\s\s\s
            1006-  Description:    gateway-a-v4
               BGP state:          Established
                 Neighbor address: 169.254.100.150%ext-vlan0
                 Neighbor AS:      4248829953
               Channel ipv4
                 State:          UP
                 Routes:         1 imported, 1 exported, 1 preferred
            \s
            1002-gw_gateway_a_v6_c4eb8d41 BGP        ---        start  1796535248    Active    Socket: Connection closed
            1006-  Description:    gateway-a-v6
               BGP state:          Active
                 Last error:       Socket: Connection closed
               Channel ipv6
                 State:          DOWN
            \s
            0000\s
            """;

    static final String BFD = """
            1020-slb_bfd:
             IP address                Interface  State      Since         Interval  Timeout
             100:100::150              ext-vlan0  Down       1796535249      1.000    0.000
             169.254.100.150           ext-vlan0  Up         1796535249      0.300    0.900
            0000\s
            """;

    @Test
    void repliesAreReadLineByLineWithTheirCodesUpToTheOneThatEndsThem() {
        try (StandIn bird = new StandIn(work.resolve("bird.ctl"), command -> switch (command) {
            case "show protocols all" -> PROTOCOLS;
            case "show bfd sessions" -> BFD;
            default -> "8003 syntax error, unexpected CF_SYM_UNDEFINED\n";
        }); BirdControl control = BirdControl.connect(work.resolve("bird.ctl"), Duration.ofSeconds(2))) {
            BirdReply protocols = control.send("show protocols all");
            assertThat(protocols.ok()).isTrue();
            Map<String, ProtocolStatus> parsed = ProtocolStatus.parse(protocols);
            assertThat(parsed.get("gw_gateway_a_v4_2ae5ec6d")).isEqualTo(new ProtocolStatus(
                    "gw_gateway_a_v4_2ae5ec6d", "up", Optional.of(Instant.ofEpochSecond(1796535300L)), "Established",
                    "", 1));
            ProtocolStatus v6 = parsed.get("gw_gateway_a_v6_c4eb8d41");
            assertThat(v6.up()).isFalse();
            assertThat(v6.info()).startsWith("Active");
            assertThat(v6.lastError()).isEqualTo("Socket: Connection closed");
            assertThat(v6.routesLearned()).isZero();
            assertThat(parsed.get("slb_device").up()).isTrue();

            assertThat(ProtocolStatus.parseBfd(control.send("show bfd sessions")))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("169.254.100.150", "Up", "100:100::150", "Down"));

            BirdReply refused = control.send("configure check \"/nowhere\"");
            assertThat(refused.ok()).isFalse();
            assertThat(refused.text()).isEqualTo("syntax error, unexpected CF_SYM_UNDEFINED");
        }
    }

    @Test
    void aBirdThatDoesNotFinishAnsweringIsAnErrorWithinTheDeadline() {
        try (StandIn bird = new StandIn(work.resolve("bird.ctl"), command -> "1002-half a reply\n");
             BirdControl control = BirdControl.connect(work.resolve("bird.ctl"), Duration.ofMillis(300))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> control.send("show protocols all")).isInstanceOf(RoutingException.class)
                    .hasMessageContaining("no complete answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aSocketNobodyListensOnIsSaidSo() {
        assertThatThrownBy(() -> BirdControl.connect(work.resolve("absent.ctl"), Duration.ofSeconds(1)))
                .isInstanceOf(RoutingException.class).hasMessageContaining("absent.ctl does not answer");
    }

    /** Greets as BIRD does, then answers each command line with what {@code answers} gives. */
    private static final class StandIn implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Thread thread;

        StandIn(Path socket, Function<String, String> answers) {
            try {
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(() -> serve(answers), "bird-stand-in");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Function<String, String> answers) {
            try (SocketChannel client = server.accept()) {
                write(client, "0001 BIRD 2.0.12 ready.\n");
                StringBuilder line = new StringBuilder();
                ByteBuffer in = ByteBuffer.allocate(1024);
                while (client.read(in) >= 0) {
                    in.flip();
                    line.append(StandardCharsets.UTF_8.decode(in));
                    in.clear();
                    int newline;
                    while ((newline = line.indexOf("\n")) >= 0) {
                        write(client, answers.apply(line.substring(0, newline)));
                        line.delete(0, newline + 1);
                    }
                }
            } catch (IOException e) {
                // The test is over.
            }
        }

        private static void write(SocketChannel client, String text) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                client.write(out);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // Closing a test's socket.
            }
        }
    }
}
