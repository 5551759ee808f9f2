package io.statelesslb.cli;

import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own BIRD 2, in the gateway's namespace: the load balancer's BGP peer (AS 4248829953, the seed's), with
 * BFD, that sends it a default route and installs the VIPs it announces into the gateway's main table. It knows the
 * load balancer only as a BGP neighbour: no route to a VIP is made by hand.
 */
final class GatewayRouter implements AutoCloseable {

    private final TestNamespace namespace;
    private final Path directory;
    private Process bird;

    GatewayRouter(TestNamespace namespace, Path directory) {
        this.namespace = namespace;
        this.directory = directory;
    }

    /** Starts BIRD (or starts it again after {@link #kill}). */
    void start() {
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("gateway.conf");
            Files.writeString(config, CONFIG);
            bird = new ProcessBuilder("ip", "netns", "exec", namespace.name(), "bird", "-f", "-c",
                    config.toString(), "-s", directory.resolve("gateway.ctl").toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("gateway.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills BIRD as a crash would: no notification to its peers, only BFD and the hold timer tell. */
    void kill() {
        if (bird != null) {
            bird.descendants().forEach(ProcessHandle::destroyForcibly);
            bird.destroyForcibly();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            bird.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the gateway's routes that BIRD installed: the VIPs the load balancer announces */
    String learned(String family) {
        return namespace.ip(family, "route", "show", "proto", "bird");
    }

    /** @return what the gateway's BIRD says of its sessions */
    String protocols() {
        return namespace.exec("birdc", "-s", directory.resolve("gateway.ctl").toString(), "show", "protocols");
    }

    @Override
    public void close() {
        kill();
    }

    /** One BGP session to the load balancer, with BFD, offering it a default route. */
    private static String session(String name, String local, String neighbour, String channel) {
        return String.join("\n", List.of(
                "protocol bgp " + name + " {",
                "    local " + local + " as 4248829953;",
                "    neighbor " + neighbour + " as 8103;",
                "    interface \"gw\";",
                "    hold time 90;",
                "    connect delay time 1;",
                "    connect retry time 5;",
                "    error wait time 1, 2;",
                "    error forget time 5;",
                "    bfd { min rx interval 300 ms; min tx interval 300 ms; multiplier 3; };",
                "    " + channel + " { import all; export filter { if net.len = 0 then accept; reject; };"
                        + " next hop self; };",
                "}"));
    }

    private static final String CONFIG = String.join("\n", List.of(
            "log stderr all;",
            "router id 169.254.100.150;",
            "protocol device {",
            "}",
            "# What the gateway offers the load balancer: a default route, through itself.",
            "protocol static default4 { ipv4; route 0.0.0.0/0 blackhole; }",
            "protocol static default6 { ipv6; route ::/0 blackhole; }",
            "# What it learns from the load balancer (the VIPs) goes into its main table.",
            "protocol kernel { ipv4 { import none; export filter { if source = RTS_BGP then accept; reject; }; }; }",
            "protocol kernel { ipv6 { import none; export filter { if source = RTS_BGP then accept; reject; }; }; }",
            "# BFD answers the load balancer whether it runs BGP or static routes over BFD.",
            "protocol bfd {",
            "    interface \"gw\" { min rx interval 300 ms; min tx interval 300 ms; multiplier 3; };",
            "    neighbor 169.254.100.1 dev \"gw\";",
            "    neighbor 100:100::1 dev \"gw\";",
            "}",
            session("lb4", "169.254.100.150", "169.254.100.1", "ipv4"),
            session("lb6", "100:100::150", "100:100::1", "ipv6"),
            ""));
}
