package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonException;
import io.statelesslb.api.client.DaemonUnreachableException;
import io.statelesslb.api.codec.CodecException;
import io.statelesslb.config.ConfigException;
import io.statelesslb.eventlog.EventLogCorruptedException;
import io.statelesslb.eventlog.EventLogException;
import io.statelesslb.eventlog.stream.EventStreamException;
import io.statelesslb.server.build.BuildInfo;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code slb} command line: the entry point of the runnable jar. */
@Command(
        name = "slb",
        mixinStandardHelpOptions = true,
        versionProvider = SlbCommand.Version.class,
        description = {
                "stateless-lb: a stateless L4 load-balancer frontend for Linux.",
                "Traffic to VIPs is queued from nftables to a Maglev load balancer that marks each packet for a"
                        + " target; policy routing delivers it. Every change is an event in a durable log.",
                ""},
        subcommands = {RunCommand.class, DemoCommand.class, ApplyCommand.class, ExportCommand.class,
                GetCommand.class, DeleteCommand.class, TargetsCommand.class, RegisterCommand.class,
                UnregisterCommand.class, EnableCommand.class, DisableCommand.class, FlowListCommand.class,
                ShowCommand.class, DataplaneCommand.class, DiffCommand.class, TraceCommand.class, EventsCommand.class,
                StatusCommand.class, GatewaysCommand.class, ReplayCommand.class, RecoverCommand.class,
                CleanupCommand.class, EngineCommand.class, VersionCommand.class, CompletionCommand.class,
                ManPageCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure or refusal (the message says why), 2 bad usage,"
                + " 3 daemon unreachable.",
                "Commands that talk to a daemon take --server URL (or $SLB_SERVER), --token-file FILE and -o json.",
                "Start with: slb demo    then: slb run --data-dir /tmp/slb --config examples/seed-scenario.yaml"})
public final class SlbCommand implements Runnable {

    /** Exit code of a command that failed for a reason its message gives. */
    public static final int FAILURE = 1;

    /** Exit code of a command line that is not what a command takes (an unknown option, a bad value). */
    public static final int USAGE = 2;

    /** Exit code of a command that could not reach the daemon. */
    public static final int UNREACHABLE = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: slb demo)");
    }

    /** @return the configured command line, ready to execute (tests capture its output with setOut/setErr) */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SlbCommand());
        // The daemon logs each change; the other commands print what they do, and log only what goes wrong.
        commandLine.setExecutionStrategy(parseResult -> {
            CommandLine.ParseResult command = parseResult.subcommand();
            if (command == null || !command.commandSpec().name().equals("run")) {
                LogSettings.apply(List.of("warn"), LogSettings.Format.text);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        // A usage error is one line, the command's own, with where to read more: not the whole help.
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine cmd = exception.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (exception instanceof DaemonUnreachableException) {
                err.println("slb " + cmd.getCommandName() + ": " + exception.getMessage());
                err.flush();
                return UNREACHABLE;
            } else if (exception instanceof DaemonException refused) {
                err.println("slb " + cmd.getCommandName() + ": " + refused.code() + " (HTTP " + refused.status() + "): "
                        + refused.getMessage());
                refused.problems().stream().skip(1).forEach(problem -> err.println("  " + problem));
            } else if (exception instanceof ConfigException config) {
                err.println("slb " + cmd.getCommandName() + ": the configuration has " + config.errors().size()
                        + " error(s):");
                config.errors().forEach(error -> err.println("  " + error));
            } else if (exception instanceof EventLogException || exception instanceof EventLogCorruptedException
                    || exception instanceof EventStreamException || exception instanceof CodecException
                    || exception instanceof UncheckedIOException || exception instanceof IllegalArgumentException) {
                err.println("slb " + cmd.getCommandName() + ": " + exception.getMessage());
            } else {
                err.println("slb " + cmd.getCommandName() + ": internal error: " + exception);
                exception.printStackTrace(err);
            }
            err.flush();
            return FAILURE;
        });
        return commandLine;
    }

    /** {@code slb --version}: the version the build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"slb " + BuildInfo.version() + " (stateless-lb; Java " + Runtime.version() + ")"};
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
