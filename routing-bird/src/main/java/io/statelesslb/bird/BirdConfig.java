package io.statelesslb.bird;

import io.statelesslb.dataplane.routing.RoutingException;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayOptions;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.GatewaySpec;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * BIRD 2's configuration for a trench's gateway sessions, written from the plan (never edited by hand):
 * <ul>
 *   <li>one {@code protocol bgp} per BGP gateway, importing only a default route and exporting exactly the VIPs
 *       announced to it; one {@code protocol static} per static gateway, its default route guarded by BFD when
 *       asked;</li>
 *   <li>the announced VIPs as blackhole routes of {@code protocol static} (what the BGP sessions export);</li>
 *   <li>a {@code protocol kernel} per family that writes the default routes learned into table 4096, merging equal
 *       ones into one multipath route (so the seed's {@code default via 169.254.100.150 dev ext-vlan0 proto bird
 *       metric 32});</li>
 *   <li>{@code protocol bfd} when a gateway asks for BFD, with the first such static gateway's timers on its
 *       interface (BGP sessions carry their own).</li>
 * </ul>
 * The same sessions always give the same text, so an unchanged trench never reconfigures BIRD.
 */
public final class BirdConfig {

    /** The routing table the learned default routes are written into, and the {@code from VIP} rules look up. */
    public static final int GATEWAYS_TABLE = 4096;

    private BirdConfig() {
    }

    /**
     * @param gateways  the sessions to run, by gateway name
     * @param passwords a gateway's BGP password read from its file
     * @return the configuration file's text
     * @throws RoutingException when a password cannot be put in a configuration (a quote, a backslash, a line break)
     */
    public static String render(SortedMap<String, GatewaySpec> gateways, Function<Gateway, String> passwords) {
        StringBuilder out = new StringBuilder();
        out.append("# Written by stateless-lb from its state on every change: edits here are overwritten.\n");
        out.append("log stderr all;\n");
        out.append("timeformat protocol \"%s\";\n\n");
        out.append("protocol device slb_device {\n}\n");
        for (Family family : Family.values()) {
            SortedSet<Cidr> announced = gateways.values().flatMap(GatewaySpec::announced)
                    .filter(vip -> vip.family() == family).toSortedSet();
            String channel = channel(family);
            if (!announced.isEmpty()) {
                out.append("\n# The VIPs announced: what the BGP sessions export.\n");
                out.append("protocol static slb_vips").append(suffix(family)).append(" {\n    ").append(channel)
                        .append(";\n");
                announced.forEach(vip -> out.append("    route ").append(vip).append(" blackhole;\n"));
                out.append("}\n");
            }
            if (gateways.values().exists(spec -> spec.gateway().address().family() == family)) {
                out.append("\n# The gateways' default routes, into the table the VIPs' replies look up.\n");
                out.append("protocol kernel slb_kernel").append(suffix(family)).append(" {\n");
                out.append("    kernel table ").append(GATEWAYS_TABLE).append(";\n");
                out.append("    merge paths on;\n");
                out.append("    ").append(channel).append(" {\n        import none;\n");
                out.append("        export filter { if net.len = 0 then accept; reject; };\n    };\n}\n");
            }
        }
        bfd(gateways, out);
        for (GatewaySpec spec : gateways.values()) {
            out.append('\n');
            if (spec.gateway().protocol() == GatewayProtocol.BGP) {
                bgp(spec, passwords, out);
            } else {
                staticGateway(spec.gateway(), out);
            }
        }
        return out.toString();
    }

    /**
     * @return the name of the BIRD protocol that runs {@code gateway}'s session: its name in BIRD's alphabet, and a
     *         checksum of the real name so that two names never meet (BIRD's names are symbols)
     */
    public static String protocolName(String gateway) {
        String symbol = gateway.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (symbol.length() > 40) {
            symbol = symbol.substring(0, 40);
        }
        CRC32 crc = new CRC32();
        crc.update(gateway.getBytes(StandardCharsets.UTF_8));
        return "gw_" + symbol + "_" + String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static void bfd(SortedMap<String, GatewaySpec> gateways, StringBuilder out) {
        if (!gateways.values().exists(spec -> spec.gateway().bfd())) {
            return;
        }
        out.append("\n# BFD: BGP sessions ask with their own timers, static gateways with their interface's.\n");
        out.append("protocol bfd slb_bfd {\n");
        Map<String, GatewayOptions> interfaces = new TreeMap<>();
        gateways.values().map(GatewaySpec::gateway)
                .filter(gateway -> gateway.bfd() && gateway.protocol() == GatewayProtocol.STATIC)
                .forEach(gateway -> interfaces.putIfAbsent(gateway.interfaceName(), gateway.options()));
        interfaces.forEach((name, options) -> out.append("    interface \"").append(name).append("\" { ")
                .append(timers(options)).append(" };\n"));
        out.append("}\n");
    }

    private static void bgp(GatewaySpec spec, Function<Gateway, String> passwords, StringBuilder out) {
        Gateway gateway = spec.gateway();
        GatewayOptions options = gateway.options();
        out.append("protocol bgp ").append(protocolName(gateway.name())).append(" {\n");
        out.append("    description \"").append(gateway.name()).append("\";\n");
        out.append("    local port ").append(options.localPort()).append(" as ").append(gateway.localAsn())
                .append(";\n");
        out.append("    neighbor ").append(gateway.address()).append(" port ").append(options.remotePort())
                .append(" as ").append(gateway.remoteAsn()).append(";\n");
        out.append("    interface \"").append(gateway.interfaceName()).append("\";\n");
        out.append("    hold time ").append(options.holdTime()).append(";\n");
        // Come back quickly after a gateway restarts or BFD recovers (BIRD's defaults wait minutes).
        out.append("    connect delay time 1;\n    connect retry time 5;\n    error wait time 1, 10;\n"
                + "    error forget time 60;\n");
        if (gateway.bfd()) {
            out.append("    bfd { ").append(timers(options)).append(" };\n");
        }
        if (options.hasPassword()) {
            out.append("    password \"").append(quotable(gateway, passwords.apply(gateway))).append("\";\n");
        }
        String exports = spec.announced().isEmpty() ? "reject;"
                : "if net ~ [ " + spec.announced().mkString(", ") + " ] then accept; reject;";
        out.append("    ").append(channel(gateway.address().family())).append(" {\n");
        out.append("        import filter { if net.len = 0 then accept; reject; };\n");
        out.append("        export filter { ").append(exports).append(" };\n    };\n}\n");
    }

    private static void staticGateway(Gateway gateway, StringBuilder out) {
        out.append("protocol static ").append(protocolName(gateway.name())).append(" {\n");
        out.append("    description \"").append(gateway.name()).append("\";\n");
        out.append("    ").append(channel(gateway.address().family())).append(";\n");
        out.append("    route ").append(gateway.address().family() == Family.IPV4 ? "0.0.0.0/0" : "::/0")
                .append(" via ").append(gateway.address()).append(gateway.bfd() ? " bfd" : "").append(";\n}\n");
    }

    private static String timers(GatewayOptions options) {
        return "min rx interval " + options.bfdMinRxMillis() + " ms; min tx interval " + options.bfdMinTxMillis()
                + " ms; multiplier " + options.bfdMultiplier() + ";";
    }

    private static String quotable(Gateway gateway, String password) {
        if (password.isEmpty() || password.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
            throw new RoutingException("gateway " + gateway.name() + ": the password in "
                    + gateway.options().passwordFile() + " is empty or holds a quote, a backslash or a control"
                    + " character (expected: printable characters that BIRD's configuration can quote)");
        }
        return password;
    }

    private static String channel(Family family) {
        return family == Family.IPV4 ? "ipv4" : "ipv6";
    }

    private static String suffix(Family family) {
        return family == Family.IPV4 ? "4" : "6";
    }
}
