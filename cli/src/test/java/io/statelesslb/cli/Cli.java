package io.statelesslb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.server.TestDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the {@code slb} command line in-process and captures what it prints. */
public record Cli(int exitCode, String out, String err) {

    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = SlbCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    /** Runs {@code slb ARGS --server URL} against {@code daemon}. */
    public static Cli on(TestDaemon daemon, String... args) {
        return on(daemon.server, args);
    }

    /** Runs {@code slb ARGS --server URL} against the daemon listening at {@code server}. */
    public static Cli on(URI server, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--server");
        all.add(server.toString());
        return run(all.toArray(String[]::new));
    }

    /** Runs a command against {@code daemon} that must succeed; @return its output as JSON */
    public static JsonNode json(TestDaemon daemon, String... args) {
        return json(daemon.server, args);
    }

    /** Runs a command against the daemon at {@code server} that must succeed; @return its output as JSON */
    public static JsonNode json(URI server, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("-o");
        all.add("json");
        Cli run = on(server, all.toArray(String[]::new));
        if (run.exitCode() != 0) {
            throw new AssertionError("slb " + String.join(" ", args) + " exited " + run.exitCode() + ": " + run.err());
        }
        return TestDaemon.json(run.out());
    }
}
