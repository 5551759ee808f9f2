package io.statelesslb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.server.Polling;
import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * slb run as a {@code Type=notify} unit: READY=1 with its pid once it serves, RELOADING=1 then READY=1 around a
 * SIGHUP reload, STOPPING=1 on SIGTERM, each a datagram on the socket {@code $NOTIFY_SOCKET} names. systemd's side
 * is played by a python3 script that binds the socket and writes down what it receives.
 */
class SystemdNotifyTest {

    /** Binds a unix datagram socket at argv[1] and appends every datagram to argv[2], a line per field. */
    private static final String LISTENER = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind(sys.argv[1])",
            "open(sys.argv[2] + '.bound', 'w').close()",
            "while True:",
            "    data = s.recv(4096).decode()",
            "    with open(sys.argv[2], 'a') as f:",
            "        f.write(data.replace('\\n', ' ') + '\\n')");

    @TempDir
    Path work;

    @Test
    void systemdHearsReadyReloadingAndStopping() throws Exception {
        HostTools.require("python3");
        Path socket = work.resolve("notify.sock");
        Path heard = work.resolve("heard.txt");
        Process listener = new ProcessBuilder("python3", "-c", LISTENER, socket.toString(), heard.toString())
                .redirectErrorStream(true).start();
        try {
            await(() -> Files.exists(Path.of(heard + ".bound")), "the listener binds its socket");
            try (DaemonProcess slb = DaemonProcess.start(work.resolve("slb.log"),
                    Map.of("NOTIFY_SOCKET", socket.toString()), "run", "--data-dir", work.resolve("data").toString(),
                    "--listen", "127.0.0.1:0", "--config", TestDaemon.SEED_CONFIG.toString())) {
                await(() -> read(heard).contains("READY=1"), "READY=1");
                // The sequence is the seed's 9 events and the simulated gateway sessions that came up meanwhile.
                assertThat(read(heard).lines().filter(line -> line.startsWith("READY=1")).findFirst().orElseThrow())
                        .matches("READY=1 STATUS=serving on " + slb.server().toString().replaceAll("/$", "")
                                + ", backend sim, sequence \\d+ MAINPID=" + slb.pid());
                new ProcessBuilder("kill", "-HUP", Long.toString(slb.pid())).start().waitFor();
                await(() -> read(heard).lines().filter(line -> line.startsWith("READY=1")).count() == 2,
                        "READY=1 after the reload");
                assertThat(read(heard).lines()).anySatisfy(line -> assertThat(line).startsWith("RELOADING=1"
                        + " MONOTONIC_USEC="));
                slb.close();
                await(() -> read(heard).contains("STOPPING=1"), "STOPPING=1");
            }
        } finally {
            listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private interface Condition {
        boolean holds();
    }

    private static void await(Condition condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("systemd did not hear " + what + " within 20 s");
            }
            Polling.pause(50);
        }
    }
}
