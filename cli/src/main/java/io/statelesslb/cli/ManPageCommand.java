package io.statelesslb.cli;

import io.statelesslb.server.build.BuildInfo;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** {@code slb man}: the manual page slb(1) in troff, from the same model as the commands and their help. */
@Command(
        name = "man",
        hidden = true,
        mixinStandardHelpOptions = true,
        header = "Print the manual page slb(1) (troff), as the release installs it.",
        footer = {"", "Example:", "  slb man | man -l -"})
final class ManPageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CommandSpec slb = spec.root();
        out.println(".TH SLB 1 \"" + LocalDate.now(ZoneOffset.UTC) + "\" \"slb " + BuildInfo.version()
                + "\" \"stateless-lb\"");
        out.println(".SH NAME");
        out.println("slb \\- " + escape(String.join(" ", slb.usageMessage().description()).strip()));
        out.println(".SH SYNOPSIS");
        out.println(".B slb");
        out.println("\\fICOMMAND\\fR [\\fIOPTIONS\\fR]");
        out.println(".SH COMMANDS");
        for (CommandLine sub : slb.subcommands().values()) {
            CommandSpec command = sub.getCommandSpec();
            if (command.usageMessage().hidden() || command.name().equals("help")) {
                continue;
            }
            out.println(".SS \"slb " + command.name() + "\"");
            out.println(escape(String.join(" ", command.usageMessage().header())));
            out.println(".PP");
            for (String paragraph : command.usageMessage().description()) {
                out.println(escape(paragraph));
                out.println(".PP");
            }
            for (OptionSpec option : command.options()) {
                if (option.hidden() || option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                out.println(".TP");
                out.println("\\fB" + escape(String.join(", ", option.names())) + "\\fR"
                        + (option.arity().max() > 0 ? " \\fI" + escape(option.paramLabel()) + "\\fR" : ""));
                out.println(escape(String.join(" ", option.description())
                        .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()))));
            }
        }
        out.println(".SH EXIT STATUS");
        out.println("0 success; 1 failure or refusal (the message says why); 2 bad usage; 3 daemon unreachable.");
        out.println(".SH ENVIRONMENT");
        out.println(".TP");
        out.println("\\fBSLB_SERVER\\fR");
        out.println("The daemon's API when \\-\\-server is not given (default http://127.0.0.1:8470).");
        out.println(".TP");
        out.println("\\fBSLB_TOKEN_FILE\\fR");
        out.println("The file holding the daemon's bearer token when \\-\\-token\\-file is not given.");
        out.println(".SH FILES");
        out.println(".TP");
        out.println("\\fI/var/lib/slb\\fR");
        out.println("The data directory of the systemd unit: the event log, its snapshots, BIRD's files.");
        out.println(".TP");
        out.println("\\fI/etc/slb/config.yaml\\fR");
        out.println("The configuration the systemd unit starts with and reloads on SIGHUP.");
        out.println(".SH SEE ALSO");
        out.println("nft(8), ip(8), bird(8); /usr/share/doc/slb: operations.md, architecture.md, openapi.yaml.");
        out.flush();
        return 0;
    }

    /** @return {@code text} with troff's special characters written as troff wants them */
    private static String escape(String text) {
        String escaped = text.replace("\\", "\\\\").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
