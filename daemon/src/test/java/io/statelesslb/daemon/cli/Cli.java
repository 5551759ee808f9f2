package io.statelesslb.daemon.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

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
}
