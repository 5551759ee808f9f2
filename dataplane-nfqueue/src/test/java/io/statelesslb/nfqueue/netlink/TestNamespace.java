package io.statelesslb.nfqueue.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A network namespace of a test's own ({@code ip netns add}), for tests against the real kernel: sockets opened in
 * it, commands run in it, deleted afterwards. Creating one needs root; without it the test is skipped with the
 * reason.
 */
public final class TestNamespace implements AutoCloseable {

    private static int created;

    private final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Creates a namespace, or skips the calling test when that is not possible here. */
    public static TestNamespace create(String prefix) {
        assumeTrue(JnaNetlinkSocket.isAvailable(), () -> "netlink is not available: "
                + JnaNetlinkSocket.unavailabilityCause());
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace"
                + " (user.name=" + System.getProperty("user.name") + "); skipped");
        HostTools.require("ip");
        String name;
        synchronized (TestNamespace.class) {
            name = prefix + "-" + ProcessHandle.current().pid() + "-" + created++;
        }
        run("ip", "netns", "add", name);
        return new TestNamespace(name);
    }

    /** @return the namespace's name, as {@code ip netns} knows it */
    public String name() {
        return name;
    }

    /** Runs {@code action} on a thread inside this namespace (sockets it opens live there). */
    public <T> T call(Callable<T> action) {
        return NetworkNamespace.call(Path.of("/run/netns", name), action);
    }

    /** @return a netlink socket of {@code protocol} in this namespace */
    public JnaNetlinkSocket socket(int protocol) {
        return JnaNetlinkSocket.openIn(Path.of("/run/netns", name), protocol);
    }

    /** Runs {@code ip -n NAMESPACE ARGS}; @return its output, lines stripped of trailing blanks */
    public String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /**
     * Runs a command inside the namespace ({@code ip netns exec}); the calling test is skipped, naming the package,
     * when the command is not installed.
     *
     * @return its output, lines stripped
     */
    public String exec(String... args) {
        HostTools.require(args[0]);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** @return the processes that run in the namespace ({@code ip netns pids}) */
    public List<String> pids() {
        return run("ip", "netns", "pids", name).lines().map(String::strip).filter(pid -> !pid.isEmpty()).toList();
    }

    @Override
    public void close() {
        run("ip", "netns", "del", name);
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            // iproute2 and nft versions differ in trailing blanks; the words are what tests compare.
            return output.lines().map(String::stripTrailing).collect(Collectors.joining("\n", "", "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
