package io.statelesslb.eventlog;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer process for {@link EventLogCrashTest}: appends numbered events from several threads until killed,
 * and reports each acknowledgement on standard output as {@code ack SEQUENCE NUMBER}, only after the append's
 * future completed (that is, after the fsync).
 */
public final class LogWriterProcess {

    private LogWriterProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        AtomicLong numbers = new AtomicLong(Long.parseLong(args[1]));
        PrintWriter acks = new PrintWriter(new FileOutputStream(FileDescriptor.out), false);
        EventLog log = EventLog.open(dir, new EventLogOptions(16 * 1024, false), Clock.systemUTC(), 0, r -> { });
        acks.println("ready " + log.lastSequence());
        acks.flush();
        Runnable appender = () -> {
            while (true) {
                long number = numbers.incrementAndGet();
                long sequence = log.append(SampleEvents.number(number)).join().sequence();
                synchronized (acks) {
                    acks.println("ack " + sequence + " " + number);
                    acks.flush();
                }
            }
        };
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(appender, "appender-" + i);
            thread.start();
        }
        Thread.currentThread().join();
    }
}
