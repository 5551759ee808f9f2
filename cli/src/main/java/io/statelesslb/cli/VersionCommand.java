package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonUnreachableException;
import io.statelesslb.server.build.BuildInfo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb version}: this client's version and the daemon's. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        header = "Print the client's version and the daemon's.",
        description = {"Print this slb's version and Java runtime, and the version of the daemon at --server (or"
                + " that it cannot be reached: the client's version is printed all the same, and the exit code is"
                + " 3)."},
        footer = {"", "Example:", "  slb version -o json"})
final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("client", BuildInfo.version());
        versions.put("java", Runtime.version().toString());
        String unreachable = null;
        try {
            versions.put("server", client.client().status().version());
        } catch (DaemonUnreachableException e) {
            unreachable = e.getMessage();
        }
        String why = unreachable;
        client.output.print(out, versions, table -> {
            table.println("client: slb " + versions.get("client") + " (Java " + versions.get("java") + ")");
            table.println("server: " + (why == null
                    ? "slb " + versions.get("server") + " at " + client.client().server() : "unknown: " + why));
        });
        return unreachable == null ? 0 : SlbCommand.UNREACHABLE;
    }
}
