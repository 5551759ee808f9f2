package io.statelesslb.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.api.codec.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL mid-append loses no acknowledged event and leaves nothing half-visible. */
class EventLogCrashTest {

    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void killingTheWriterLosesNoAcknowledgedEvent() throws Exception {
        Random random = new Random(20261126);
        Map<Long, Long> acknowledged = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            Map<Long, Long> acks = runAndKill(round * 1_000_000L, 100 + random.nextInt(2000));
            assertThat(acks).as("round %d acknowledged something before the kill", round).isNotEmpty();
            acknowledged.putAll(acks);

            Map<Long, Long> stored = new HashMap<>();
            try (EventLog log = EventLog.open(dir, new EventLogOptions(16 * 1024, false), Clock.systemUTC(), 0,
                    record -> stored.put(record.sequence(),
                            SampleEvents.numberOf(EventCodec.decodeBody(record.type(), record.body()))))) {
                // Sequences are contiguous from 1: every record before the last is whole and valid.
                assertThat(stored.keySet()).hasSize((int) log.lastSequence());
            }
            for (Map.Entry<Long, Long> ack : acknowledged.entrySet()) {
                assertThat(stored.get(ack.getKey())).as("acknowledged sequence %d", ack.getKey())
                        .isEqualTo(ack.getValue());
            }
        }
    }

    /** Starts a writer, lets it get {@code acksBeforeKill} appends acknowledged, then kills it -9 mid-stream. */
    private Map<Long, Long> runAndKill(long firstNumber, int acksBeforeKill) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LogWriterProcess.class.getName(), dir.toString(), Long.toString(firstNumber))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<Long, Long> acks = new ConcurrentHashMap<>();
        CountDownLatch enoughAcks = new CountDownLatch(acksBeforeKill);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] fields = line.split(" ");
                    // A line cut by the kill is not an acknowledgement anyone saw whole.
                    if (fields.length == 3 && fields[0].equals("ack")) {
                        acks.put(Long.parseLong(fields[1]), Long.parseLong(fields[2]));
                        enoughAcks.countDown();
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // The pipe breaks when the writer dies.
            }
        });
        reader.start();
        try {
            assertThat(enoughAcks.await(60, TimeUnit.SECONDS)).as("writer acknowledged %d appends", acksBeforeKill)
                    .isTrue();
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
        return acks;
    }
}
