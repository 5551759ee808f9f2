package io.statelesslb.server;

import io.statelesslb.bird.BirdRouting;
import io.statelesslb.config.Configuration;
import io.statelesslb.controller.Controller;
import io.statelesslb.controller.TrenchController;
import io.statelesslb.controller.store.EventStore;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.routing.RoutingDaemon;
import io.statelesslb.dataplane.routing.RoutingException;
import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.command.LeaveTier;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.eventlog.DirectoryLock;
import io.statelesslb.eventlog.etcd.EtcdEventStream;
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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon, {@code slb run}: the composition root. It checks the options, picks the backend ({@code --backend sim}
 * or {@code kernel}), opens the trench's controller on the data directory, submits what the configuration file
 * changes, and serves the HTTP API with its metrics. {@link #close} stops listening and drains.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final TrenchController controller;
    private final HttpApi api;
    private final DaemonMetrics metrics;
    /** The data directory's lock when the events are in etcd (the local log holds it otherwise), or null. */
    private final DirectoryLock dataDirectory;

    private Daemon(DaemonOptions options, TrenchController controller, HttpApi api, DaemonMetrics metrics,
                   DirectoryLock dataDirectory) {
        this.options = options;
        this.controller = controller;
        this.api = api;
        this.metrics = metrics;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts a daemon: checks the options and the configuration file, then, in this order so that a second daemon
     * on the same data directory, port or queues is refused before it changes anything, takes the data directory's
     * lock (recovering the log), listens on its port (answering "starting"), and opens the backend (listening on
     * the queues its tables name); only then brings the dataplane to the recovered state, submits what the
     * configuration changes, and serves the API.
     *
     * @throws IllegalArgumentException when an option is unusable (named in the message)
     * @throws io.statelesslb.config.ConfigException when the configuration file has errors
     */
    public static Daemon start(DaemonOptions options) {
        String token = token(options); // an exposed listener without a token is refused before anything opens
        Configuration configuration = configuration(options);
        return start(options, () -> backend(options), token, configuration);
    }

    /**
     * Starts a daemon on a backend of the caller's (for embedding, and tests with a dataplane that fails on
     * purpose); {@code options.backend()} is not consulted.
     */
    public static Daemon start(DaemonOptions options, Dataplane backend) {
        return start(options, () -> backend, token(options), configuration(options));
    }

    private static Daemon start(DaemonOptions options, Supplier<Dataplane> backend, String token,
                                Configuration configuration) {
        DaemonMetrics metrics = new DaemonMetrics();
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(metrics);
        try {
            // With the events in etcd the data directory still holds this instance's routing daemon: one daemon each.
            DirectoryLock dataDirectory = options.shared() == null ? null
                    : opened(opened, DirectoryLock.take(options.dataDir(), "data directory"));
            EventStore store = opened(opened, store(options));
            HttpApi api = opened(opened, HttpApi.bind(metrics::scrape, options.host(), options.port(), token,
                    options.maxBodyBytes(), options.limits(), options.tls()));
            Dataplane dataplane = opened(opened, backend.get());
            // From here the controller owns the store and the dataplane, and closes them if it cannot open.
            opened.remove(dataplane);
            opened.remove(store);
            TrenchController controller = TrenchController.open(options.controller(), store, dataplane, metrics);
            opened.clear();
            if (dataDirectory != null) {
                opened.add(dataDirectory);
            }
            opened.add(metrics);
            opened.add(api);
            opened.add(controller);
            Daemon daemon = new Daemon(options, controller, api, metrics, dataDirectory);
            metrics.watch(controller);
            if (configuration != null) {
                controller.submitAll(configuration.changesFrom(controller.state()),
                        "config file " + options.config());
            } else {
                options.loadBalancer().changeFrom(controller.state()).ifPresent(command -> controller
                        .submitAll(List.of(command), "the flags of slb run").forEach(answer -> answer.fold(problems -> {
                            LOG.warn("the nfqlb options given as flags are not recorded: {}",
                                    problems.mkString("; "));
                            return null;
                        }, unchanged -> null, recorded -> null)));
            }
            if (options.shared() != null) {
                options.shared().tier().ifPresent(join -> joinTier(controller, join));
            }
            controller.readyOnceApplied(controller.sequence());
            api.serve(controller);
            return daemon;
        } catch (RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                closeQuietly(opened.get(i));
            }
            throw e;
        }
    }

    /**
     * @return the local log in the data directory, or, for an instance of a trench of several, the etcd stream they
     *         share (connected, its newest snapshot and the records after it folded, and followed)
     */
    private static EventStore store(DaemonOptions options) {
        if (options.shared() == null) {
            return EventStore.open(options.dataDir(), options.controller().store(), options.clock());
        }
        SharedStream shared = options.shared();
        EtcdEventStream stream = EtcdEventStream.connect(shared.etcd(), shared.instance(), options.clock());
        try {
            return EventStore.open(stream, shared.instance(), options.controller().store());
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.debug("closing after a failed start: {}", e.getMessage());
        }
    }

    /**
     * @return the configuration file, parsed, with the flags' nfqlb options laid over its own (a file that does not
     *         parse, or that a flag contradicts, is refused before anything opens); null without a file
     */
    private static Configuration configuration(DaemonOptions options) {
        return options.config() == null ? null
                : Configuration.load(options.config()).with(options.loadBalancer(), "the flags of slb run");
    }

    private static Dataplane backend(DaemonOptions options) {
        if ("sim".equals(options.backend())) {
            return new SimulatedDataplane();
        } else if ("kernel".equals(options.backend())) {
            if (!JnaNetlinkSocket.isAvailable()) {
                throw new IllegalArgumentException("--backend kernel: netlink is not available here ("
                        + JnaNetlinkSocket.unavailabilityCause().getMessage() + "); use --backend sim");
            }
            Path namespace = options.netns() == null ? null : Path.of("/run/netns", options.netns());
            try {
                return KernelDataplane.open(namespace, options.probes(), routing(options, namespace));
            } catch (NetlinkException e) {
                throw new IllegalArgumentException("--backend kernel: the kernel refused to be set up ("
                        + e.getMessage()
                        + "; the kernel backend needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN for --netns)", e);
            }
        }
        throw new IllegalArgumentException("--backend " + options.backend() + " (expected: sim or kernel)");
    }

    /** Says so when others than the daemon's user may read the token (the daemon runs on: the operator decides). */
    private static void warnIfShared(Path tokenFile) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(tokenFile);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                LOG.warn("--token-file {} can be read by others ({}): whoever reads it can change the load balancer;"
                        + " chmod 600 {}", tokenFile, PosixFilePermissions.toString(permissions), tokenFile);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("the permissions of {} cannot be read: {}", tokenFile, e.getMessage());
        }
    }

    /** @return BIRD, in the load balancer's namespace with its files in the data directory; or why there is none */
    private static RoutingDaemon routing(DaemonOptions options, Path namespace) {
        if (BirdRouting.installed().isEmpty()) {
            LOG.warn("{}; a trench with gateways will not be ready", BirdRouting.NOT_INSTALLED);
            return RoutingDaemon.none(BirdRouting.NOT_INSTALLED);
        }
        try {
            return BirdRouting.start(options.dataDir().resolve("bird"), namespace);
        } catch (RoutingException e) {
            throw new IllegalArgumentException("--backend kernel: " + e.getMessage(), e);
        }
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
            warnIfShared(options.tokenFile());
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
        return controller.submitAll(Configuration.load(options.config())
                .with(options.loadBalancer(), "the flags of slb run").changesFrom(controller.state()),
                "config file " + options.config() + " (reloaded)");
    }

    /** @return the trench's controller, as the HTTP API sees it */
    public Controller controller() {
        return controller;
    }

    /** @return the sequence of the last acknowledged event */
    public long sequence() {
        return controller.sequence();
    }

    /**
     * Joins the LB tier as the flags say; a restart that finds the instance there already is answered unchanged and
     * records nothing.
     *
     * @throws IllegalArgumentException naming every problem when the tier refuses the instance
     */
    private static void joinTier(TrenchController controller, JoinTier join) {
        for (Submission answer : controller.submitAll(List.of(join), "slb run --tier-address")) {
            if (answer instanceof Submission.Rejected rejected) {
                throw new IllegalArgumentException("the LB tier refused instance " + join.name() + ": "
                        + rejected.problems().map(Problem::message).mkString("; "));
            }
        }
    }

    /** Leaves the LB tier, so that the other instances keep the fragments this one owned; what fails is logged. */
    private void leaveTier() {
        String name = options.shared().instance();
        if (controller.state().instances().containsKey(name)) {
            try {
                controller.submitAll(List.of(new LeaveTier(name)), "slb run stopping");
            } catch (RuntimeException e) {
                LOG.warn("instance {} could not leave the LB tier (the others send it fragments until it returns,"
                        + " or until it is taken out: POST /v1/events {\"type\":\"InstanceLeft\",\"name\":\"{}\"}):"
                        + " {}", name, name, e.getMessage());
            }
        }
    }

    /** @return the address the API listens on */
    public InetSocketAddress address() {
        return api.address();
    }

    /**
     * Ends the watches, stops listening, then closes the controller: queued changes are logged and applied (within
     * the drain timeout) and the log is closed.
     */
    @Override
    public void close() {
        if (options.shared() != null && options.shared().tier().isPresent()) {
            leaveTier();
        }
        controller.feed().close(); // watches end cleanly, so their connections close with the server
        api.close();
        controller.close();
        metrics.close();
        if (dataDirectory != null) {
            dataDirectory.close();
        }
        LOG.debug("daemon closed");
    }
}
