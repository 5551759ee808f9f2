package io.statelesslb.server;

import io.statelesslb.config.Configuration;
import io.statelesslb.controller.Controller;
import io.statelesslb.controller.TrenchController;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.nfqueue.dataplane.KernelDataplane;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.server.http.HttpApi;
import io.statelesslb.server.metrics.DaemonMetrics;
import io.statelesslb.sim.SimulatedDataplane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;

/**
 * The daemon, {@code slb run}: the composition root. It checks the options, picks the backend ({@code --backend sim}
 * or {@code kernel}), opens the trench's controller on the data directory, submits what the configuration file
 * changes, and serves the HTTP API with its metrics. {@link #close} stops listening and drains.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final TrenchController controller;
    private final DaemonMetrics metrics;
    private volatile DisposableServer server;

    private Daemon(DaemonOptions options, TrenchController controller, DaemonMetrics metrics) {
        this.options = options;
        this.controller = controller;
        this.metrics = metrics;
    }

    /**
     * Starts a daemon: checks the options, opens the backend and the controller (recovering the log), submits what
     * the configuration file changes, and starts listening.
     *
     * @throws IllegalArgumentException when an option is unusable (named in the message)
     * @throws io.statelesslb.config.ConfigException when the configuration file has errors
     */
    public static Daemon start(DaemonOptions options) {
        String token = token(options); // an exposed listener without a token is refused before the kernel is touched
        Configuration configuration = configuration(options);
        return start(options, backend(options), token, configuration);
    }

    /**
     * Starts a daemon on a backend of the caller's (for embedding, and tests with a dataplane that fails on
     * purpose); {@code options.backend()} is not consulted.
     */
    public static Daemon start(DaemonOptions options, Dataplane backend) {
        return start(options, backend, token(options), configuration(options));
    }

    private static Daemon start(DaemonOptions options, Dataplane backend, String token, Configuration configuration) {
        DaemonMetrics metrics = new DaemonMetrics();
        TrenchController controller;
        try {
            controller = TrenchController.open(options.controller(), backend, metrics);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        Daemon daemon = new Daemon(options, controller, metrics);
        try {
            metrics.watch(controller);
            if (configuration != null) {
                controller.submitAll(configuration.changesFrom(controller.state()));
            }
            controller.readyOnceApplied(controller.sequence());
            daemon.server = HttpApi.bind(controller, metrics::scrape, options.host(), options.port(), token,
                    options.maxBodyBytes());
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    /** @return the configuration file, parsed (a file that does not parse is refused before anything opens) */
    private static Configuration configuration(DaemonOptions options) {
        return options.config() == null ? null : Configuration.load(options.config());
    }

    private static Dataplane backend(DaemonOptions options) {
        if ("sim".equals(options.backend())) {
            return new SimulatedDataplane();
        } else if ("kernel".equals(options.backend())) {
            if (!JnaNetlinkSocket.isAvailable()) {
                throw new IllegalArgumentException("--backend kernel: netlink is not available here ("
                        + JnaNetlinkSocket.unavailabilityCause().getMessage() + "); use --backend sim");
            }
            try {
                return KernelDataplane.open(options.netns() == null ? null : Path.of("/run/netns", options.netns()));
            } catch (NetlinkException e) {
                throw new IllegalArgumentException("--backend kernel: the kernel refused to be set up ("
                        + e.getMessage()
                        + "; the kernel backend needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN for --netns)", e);
            }
        }
        throw new IllegalArgumentException("--backend " + options.backend() + " (expected: sim or kernel)");
    }

    /** @return the token requests that change something must carry, or null when none is needed */
    private static String token(DaemonOptions options) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(options.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--listen " + options.host() + ":" + options.port() + ": unknown host"
                    + " (expected: an address of this machine, such as 127.0.0.1)");
        }
        if (options.tokenFile() == null) {
            if (!loopback) {
                throw new IllegalArgumentException("--listen " + options.host() + ":" + options.port() + " is not a"
                        + " loopback address: --token-file is required, so that only holders of the token can"
                        + " change the load balancer");
            }
            return null;
        }
        try {
            String token = Files.readString(options.tokenFile(), StandardCharsets.UTF_8).strip();
            if (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--token-file " + options.tokenFile() + " holds a token of "
                        + token.length() + " characters (expected: one line of at least 16 characters, no spaces)");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + options.tokenFile() + " cannot be read: " + e);
        }
    }

    /**
     * Loads the configuration file again (on SIGHUP) and submits what changed.
     *
     * @return each change's answer (empty when nothing changed)
     * @throws IllegalStateException when the daemon runs without a configuration file
     * @throws io.statelesslb.config.ConfigException when the file has errors (nothing is submitted then)
     */
    public List<Submission> reload() {
        if (options.config() == null) {
            throw new IllegalStateException("no configuration file to reload (start with --config FILE)");
        }
        return controller.submitAll(Configuration.load(options.config()).changesFrom(controller.state()));
    }

    /** @return the trench's controller, as the HTTP API sees it */
    public Controller controller() {
        return controller;
    }

    /** @return the sequence of the last acknowledged event */
    public long sequence() {
        return controller.sequence();
    }

    /** @return the address the API listens on */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /**
     * Ends the watches, stops listening, then closes the controller: queued changes are logged and applied (within
     * the drain timeout) and the log is closed.
     */
    @Override
    public void close() {
        controller.feed().close(); // watches end cleanly, so their connections close with the server
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
        controller.close();
        LOG.debug("daemon closed");
    }
}
