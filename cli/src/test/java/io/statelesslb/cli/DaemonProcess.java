package io.statelesslb.cli;

import static io.statelesslb.server.Polling.pause;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code slb run} in a process of its own, as an operator starts it: it can be killed with SIGKILL mid-traffic,
 * restarted on the same data directory, and a second one started beside it. Its output goes to a file, read for
 * where it listens and for what it said.
 */
final class DaemonProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("slb: listening on (http://\\S+) ");

    private final Process process;
    private final Path log;
    private URI server;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code slb ARGS} (run with its flags) and returns once it listens, or once it has exited. */
    static DaemonProcess start(Path log, String... args) {
        return start(log, Map.of(), args);
    }

    /** {@link #start(Path, String...)} with {@code environment} added to the process's environment. */
    static DaemonProcess start(Path log, Map<String, String> environment, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SlbCommand.class.getName()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            DaemonProcess daemon = new DaemonProcess(process, log);
            daemon.awaitListening(Duration.ofSeconds(60));
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException("slb did not start", e);
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(output());
            if (listening.find()) {
                server = URI.create(listening.group(1));
                return;
            }
            if (!process.isAlive()) {
                return;
            }
            pause(20);
        }
        throw new AssertionError("slb did not listen within " + timeout + ": " + output());
    }

    /** @return where its API listens, or null when it exited before listening */
    URI server() {
        return server;
    }

    /** @return everything it printed so far */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** @return its process id */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** @return its exit code, waiting for it to exit */
    int exitCode(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("slb still runs after " + timeout + ": " + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL: no draining, no closing, as a crash or an OOM kill. */
    void kill() {
        process.destroyForcibly();
        exitCode(Duration.ofSeconds(10));
    }

    /** SIGTERM, and waits for it to exit. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
