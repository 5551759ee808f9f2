package io.statelesslb.nfqueue.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The command-line tools the real-kernel tests call, and the Debian package each comes in. A test that needs one
 * that is absent is skipped with the package to install, instead of failing on a missing executable.
 */
public final class HostTools {

    /** Tool → the Debian package that installs it; .ci/run installs every one of these. */
    private static final Map<String, String> PACKAGES = Map.of(
            "ip", "iproute2",
            "nft", "nftables",
            "iptables", "iptables",
            "bird", "bird2",
            "promtool", "prometheus",
            "python3", "python3");

    /**
     * Where the xtables extensions live: nft prints a rule that uses the xtables NFQUEUE target through them, and
     * they come with the iptables package ({@code libxtables: unhandled NFPROTO} without it).
     */
    private static final String XTABLES_NFQUEUE = "libxt_NFQUEUE.so";

    private HostTools() {
    }

    /** Skips the calling test unless {@code tool} is on the PATH, naming the package that provides it. */
    public static void require(String tool) {
        String pkg = PACKAGES.getOrDefault(tool, tool);
        assumeTrue(onPath(tool), () -> tool + " is not installed (apt-get install " + pkg + "); skipped");
    }

    /**
     * Skips the calling test unless nft can print the xtables NFQUEUE target, which kernels without
     * {@code nft_queue} (such as this machine kind's) queue with: nft needs the iptables package's extensions.
     */
    public static void requireXtablesPrinting() {
        require("nft");
        boolean present = false;
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu/xtables", "/usr/lib/aarch64-linux-gnu/xtables",
                "/usr/lib/xtables", "/lib/xtables", "/usr/local/lib/xtables"}) {
            present |= Files.exists(Path.of(dir, XTABLES_NFQUEUE));
        }
        boolean found = present;
        assumeTrue(found, () -> "nft cannot print the xtables NFQUEUE rule without " + XTABLES_NFQUEUE
                + " (apt-get install iptables); skipped");
    }

    /** @return whether an executable called {@code tool} is in one of the PATH's directories */
    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
