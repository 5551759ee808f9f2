package io.statelesslb.server;

import io.statelesslb.config.LoadBalancerOptions;
import io.statelesslb.controller.ControllerOptions;
import io.statelesslb.controller.pipeline.PipelineOptions;
import io.statelesslb.controller.store.EventStoreOptions;
import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.server.http.HttpApi;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How a daemon runs.
 *
 * @param backend      {@code sim} or {@code kernel}
 * @param dataDir      where the event log and snapshots are
 * @param config       the declarative configuration loaded at start and on reload, or null
 * @param host         the address the HTTP API listens on
 * @param port         its port (0 for any free one)
 * @param tokenFile    a file holding the bearer token that mutating requests must carry, or null
 * @param maxBodyBytes the largest request body accepted
 * @param drainTimeout how long closing waits for queued events to be logged and applied
 * @param clock        the time recorded with each event
 * @param netns        the network namespace the kernel backend serves ({@code ip netns} name), or null for the
 *                     daemon's own
 * @param loadBalancer nfqlb's options given as flags, laid over the configuration file's
 * @param probes       how the kernel backend probes the targets
 * @param tls          the certificate and key the API serves HTTPS with, or null for plain HTTP
 * @param limits       how long the API's connections may idle, send a request or stall a response, and how many
 * @param shared       the etcd stream the trench's instances share, and this instance's name in it; or null for
 *                     the local log in {@code dataDir}
 */
public record DaemonOptions(String backend, Path dataDir, Path config, String host, int port, Path tokenFile,
                            PipelineOptions pipeline, EventStoreOptions store, int maxBodyBytes,
                            Duration drainTimeout, Clock clock, String netns, LoadBalancerOptions loadBalancer,
                            Reachability.Settings probes, HttpApi.Tls tls, HttpApi.Limits limits,
                            SharedStream shared) {

    /** The API's default port. */
    public static final int DEFAULT_PORT = 8470;

    /** The largest request body accepted by default: 1 MiB, room for a configuration of thousands of flows. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    /** @return options with every default: the simulator, loopback, port {@value #DEFAULT_PORT} */
    public static DaemonOptions defaults(Path dataDir) {
        return new DaemonOptions("sim", dataDir, null, "127.0.0.1", DEFAULT_PORT, null, PipelineOptions.DEFAULTS,
                EventStoreOptions.DEFAULTS, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10), Clock.systemUTC(), null,
                LoadBalancerOptions.NONE, Reachability.Settings.DEFAULTS, null, HttpApi.Limits.DEFAULTS, null);
    }

    /** @return the options of the trench's controller */
    public ControllerOptions controller() {
        return new ControllerOptions(dataDir, pipeline, store, drainTimeout, ControllerOptions.defaults(dataDir)
                .observeEvery(), clock);
    }

    public DaemonOptions withListen(String host, int port) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    public DaemonOptions withConfig(Path config) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    public DaemonOptions withTokenFile(Path tokenFile) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    public DaemonOptions withPipeline(PipelineOptions pipeline) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    public DaemonOptions withClock(Clock clock) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options with the kernel backend serving {@code netns} (null: the daemon's own) */
    public DaemonOptions withKernel(String netns) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    public DaemonOptions withBackend(String backend) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options with nfqlb's options given as flags */
    public DaemonOptions withLoadBalancer(LoadBalancerOptions loadBalancer) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options with another probing of targets */
    public DaemonOptions withProbes(Reachability.Settings probes) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options serving the API over HTTPS with {@code tls} (null: plain HTTP) */
    public DaemonOptions withTls(HttpApi.Tls tls) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options keeping the events (and snapshots) as {@code store} says */
    public DaemonOptions withStore(EventStoreOptions store) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options folding the trench's stream on etcd as {@code shared} says (null: the local log) */
    public DaemonOptions withShared(SharedStream shared) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }

    /** @return these options holding the API's connections to {@code limits} */
    public DaemonOptions withLimits(HttpApi.Limits limits) {
        return new DaemonOptions(backend, dataDir, config, host, port, tokenFile, pipeline, store, maxBodyBytes,
                drainTimeout, clock, netns, loadBalancer, probes, tls, limits, shared);
    }
}
