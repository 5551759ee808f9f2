package io.statelesslb.cli;

import io.statelesslb.api.http.GatewayStatusView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb gateways}: each gateway's session, as {@code birdc show protocols all} would tell it, in one table. */
@Command(
        name = "gateways",
        mixinStandardHelpOptions = true,
        header = "Print each gateway's session: state, uptime, BFD, routes learned, prefixes announced.",
        description = {"Print every gateway of the trench with its session as the routing daemon (BIRD) reports it:"
                + " BGP's state or a static route's, how long it has been up, the BFD session's state, how many"
                + " routes it learned (the default route replies leave by), and the VIPs announced over it."
                + " A gateway no attractor names runs no session and shows as unused.",
                "Exits 1 when a gateway an attractor names is not up."},
        footer = {"", "Examples:", "  slb gateways", "  slb gateways -o json"})
final class GatewaysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        List<GatewayStatusView> gateways = client.client().gateways();
        client.output.print(spec.commandLine().getOut(), gateways, out -> {
            out.printf("%-16s %-6s %-22s %-10s %-12s %-9s %-5s %7s  %s%n", "NAME", "PROTO", "ADDRESS", "INTERFACE",
                    "STATE", "UPTIME", "BFD", "LEARNED", "ANNOUNCED");
            for (GatewayStatusView g : gateways) {
                out.printf("%-16s %-6s %-22s %-10s %-12s %-9s %-5s %7d  %s%n", g.name(), g.protocol(), g.address(),
                        g.interfaceName(), g.state(), uptime(g), g.bfd() == null ? "-" : g.bfd(), g.routesLearned(),
                        g.announced().isEmpty() ? "-" : String.join(",", g.announced()));
                if (g.info() != null && !g.up()) {
                    out.println("    " + g.info());
                }
            }
        });
        boolean allUp = gateways.stream().allMatch(g -> g.up() || "unused".equals(g.state()));
        return allUp ? 0 : SlbCommand.FAILURE;
    }

    private static String uptime(GatewayStatusView gateway) {
        if (gateway.uptimeSeconds() == null) {
            return "-";
        }
        Duration up = Duration.ofSeconds(gateway.uptimeSeconds());
        return up.toHours() > 0 ? up.toHours() + "h" + up.toMinutesPart() + "m"
                : up.toMinutes() > 0 ? up.toMinutes() + "m" + up.toSecondsPart() + "s" : up.toSeconds() + "s";
    }
}
