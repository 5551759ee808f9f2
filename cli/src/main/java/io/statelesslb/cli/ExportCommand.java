package io.statelesslb.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb export}: the daemon's configuration as the YAML {@code slb apply -f} takes. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        header = "Print the daemon's configuration as YAML that slb apply -f takes back unchanged.",
        description = {"Print the trench, the load balancer's settings, conduits, streams, VIPs, flows, gateways and"
                + " attractors as a configuration file. Applied to the same daemon it changes nothing; applied to a"
                + " new one it rebuilds the same configuration. Gateway passwords stay in their files: only the"
                + " file's path is printed."},
        footer = {"", "Examples:",
                "  slb export > trench.yaml",
                "  slb export --targets | slb apply -f - --server http://10.0.0.2:8470"})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--targets", description = "List the registered targets too, as static targets.")
    boolean targets;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String yaml = client.client().configuration(targets);
        if (client.output.format == Output.Format.json) {
            // The same document for programs that read JSON (apply -f takes YAML, which JSON is a part of).
            out.println(Output.json(new YAMLMapper().readTree(yaml)));
        } else {
            out.print(yaml);
        }
        out.flush();
        return 0;
    }
}
