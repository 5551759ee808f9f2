package io.statelesslb.cli;

import io.statelesslb.config.LoadBalancerOptions;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.state.State;
import io.statelesslb.server.Daemon;
import io.statelesslb.server.DaemonOptions;
import io.statelesslb.server.SharedStream;
import io.statelesslb.server.http.HttpApi;
import io.statelesslb.server.systemd.SystemdNotify;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code slb run}: the daemon. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        header = "Run the daemon: event log, dataplane, HTTP API.",
        description = {"Run the load balancer: recover the event log in --data-dir, bring the dataplane to its state,"
                + " load --config, and serve the HTTP API (loopback by default).",
                "SIGHUP reloads the configuration file; SIGTERM or SIGINT stops taking requests, logs and applies"
                        + " what is queued, and exits 0."},
        footer = {"", "Examples:",
                "  slb run --data-dir /var/lib/slb --config /etc/slb/trench.yaml",
                "  slb run --data-dir /tmp/slb --listen 127.0.0.1:0        # any free port; printed at start",
                "  slb run --data-dir /var/lib/slb --listen 0.0.0.0:8470 --token-file /etc/slb/token",
                "  slb run --data-dir /var/lib/slb --backend kernel --config /etc/slb/trench.yaml",
                "  slb run --data-dir /var/lib/slb --backend kernel --event-store etcd --instance lb-1 \\",
                "      --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379,http://10.0.0.3:2379"})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the event log and"
            + " snapshots are kept (created if missing); with --event-store etcd, the routing daemon's files only.")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration (see examples/); loaded at"
            + " start and on SIGHUP.")
    Path config;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "sim", description = "sim (the simulated"
            + " dataplane, no privileges) or kernel (nf_tables, NFQUEUE and policy routing; needs root)"
            + " (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--netns", paramLabel = "NAME", description = "With --backend kernel: serve this network"
            + " namespace (as ip netns names it) instead of the daemon's own.")
    String netns;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + DaemonOptions.DEFAULT_PORT,
            description = "Where the HTTP API listens (default: ${DEFAULT-VALUE}). Beyond loopback, --token-file is"
                    + " required.")
    String listen;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve the API over HTTPS with this PEM"
            + " certificate chain (with --tls-key), so that the token never crosses the network in clear.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8, unencrypted) of"
            + " --tls-cert.")
    Path tlsKey;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the bearer token (16+"
            + " characters) that every request other than GET must carry.")
    Path tokenFile;

    @ArgGroup(exclusive = false, heading = "%nnfqlb's options (also loadBalancer: in the configuration; a flag must not"
            + " contradict the file). Each one given is recorded in the log:%n")
    NfqlbOptions nfqlb = new NfqlbOptions();

    @ArgGroup(exclusive = false, heading = "%nHow the kernel backend probes the targets (ARP/ND, whether traffic flows"
            + " or not):%n")
    ProbeOptions probes = new ProbeOptions();

    /** nfqlb's options, as flags of the same names as nfqlb's where there is one. */
    static final class NfqlbOptions {
        @Option(names = "--queues", paramLabel = "FIRST:LAST", description = "The NFQUEUE queues VIP traffic goes"
                + " to, one worker thread each (default: 0:3).")
        String queues;

        @Option(names = "--queue-length", paramLabel = "N", description = "Packets a queue holds before the kernel"
                + " drops (or, with --fail-open, passes) more (default: 1024).")
        Integer queueLength;

        @Option(names = "--queue-bypass", description = "While no process reads the queues (a restart), VIP traffic"
                + " passes unbalanced instead of being dropped.")
        Boolean queueBypass;

        @Option(names = "--queue-fanout", description = "Over several queues, a packet goes to the queue of the CPU"
                + " that received it, so that the NIC's receive-side scaling spreads the work over the workers (by"
                + " default the kernel picks by a hash of the addresses: one client, one queue).")
        Boolean queueFanout;

        @Option(names = "--fail-open", description = "A packet that finds its queue full passes unbalanced instead"
                + " of being dropped.")
        Boolean failOpen;

        @Option(names = "--promiscuous-ping", description = "ICMP echoes to a VIP match flows by address alone,"
                + " so ping reaches a target.")
        Boolean promiscuousPing;

        @Option(names = "--no-lb-fwmark", paramLabel = "MARK", description = "The fwmark of packets no flow takes"
                + " (default: 0, dropped).")
        Long noLbFwmark;

        @Option(names = "--no-targets-fwmark", paramLabel = "MARK", description = "The fwmark of packets whose"
                + " stream has no active target (default: 0, dropped).")
        Long noTargetsFwmark;

        @Option(names = "--sctp-udp-encap-port", paramLabel = "PORT", description = "The UDP port SCTP is"
                + " encapsulated on (RFC 6951; default: 0, none).")
        Integer sctpUdpEncapsulationPort;

        LoadBalancerOptions options() {
            return new LoadBalancerOptions(queues, queueLength, queueBypass, failOpen, promiscuousPing, noLbFwmark,
                    noTargetsFwmark, sctpUdpEncapsulationPort, queueFanout);
        }
    }

    @ArgGroup(exclusive = false, heading = "%nA trench of several instances, which fold one event stream on etcd (as"
            + " etcdctl names its flags):%n")
    EventStoreFlags stream = new EventStoreFlags();

    @ArgGroup(exclusive = false, heading = "%nThe LB tier (with --event-store etcd): each fragmented datagram is"
            + " decided by the instance that owns it by address hash, whichever instance its fragments reach:%n")
    TierOptions tier = new TierOptions();

    /** Where this instance joins the trench's LB tier. */
    static final class TierOptions {
        @Option(names = "--tier-address", paramLabel = "ADDRESS", description = "This instance's address on the"
                + " network the gateways' traffic comes in by, where the other instances send it the fragments it"
                + " owns. Joins the tier at start, leaves it at a clean stop.")
        String address;

        @Option(names = "--tier-interface", paramLabel = "NAME", description = "This instance's interface on that"
                + " network, from which it sends the others theirs; fragments coming in by it are not reassembled.")
        String interfaceName;
    }

    /** The BFD-like probing of targets. */
    static final class ProbeOptions {
        @Option(names = "--probe-interval", paramLabel = "MS", defaultValue = "500", description = "How often each"
                + " target is asked (default: ${DEFAULT-VALUE} ms).")
        long intervalMillis = 500;

        @Option(names = "--probe-down-after", paramLabel = "N", defaultValue = "3", description = "Intervals"
                + " without an answer before a target is taken out (default: ${DEFAULT-VALUE}).")
        int downAfter = 3;

        @Option(names = "--probe-up-after", paramLabel = "N", defaultValue = "2", description = "Answered probes in a"
                + " row before a target is put back (default: ${DEFAULT-VALUE}).")
        int upAfter = 2;

        Reachability.Settings settings() {
            return new Reachability.Settings(Duration.ofMillis(intervalMillis), downAfter, upAfter,
                    Reachability.Settings.DEFAULTS.halfLife());
        }
    }

    @Option(names = "--log-level", paramLabel = "[LOGGER=]LEVEL", description = "trace, debug, info (the default),"
            + " warn, error or off; for one logger (a class or package) as LOGGER=LEVEL, such as"
            + " io.statelesslb.controller=debug. Repeatable.")
    List<String> logLevels = new ArrayList<>();

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", description = "text (the default)"
            + " or json (one JSON document per line, for log collectors).")
    LogSettings.Format logFormat = LogSettings.Format.text;

    /** @return the stream the flags name, with this instance's place in the LB tier; null for the local log */
    private SharedStream shared() {
        SharedStream shared = stream.shared(spec.commandLine());
        if (tier.address == null && tier.interfaceName == null) {
            return shared;
        }
        if (tier.address == null || tier.interfaceName == null) {
            throw new ParameterException(spec.commandLine(), (tier.address == null ? "--tier-interface"
                    : "--tier-address") + " alone (expected: --tier-address and --tier-interface together)");
        }
        if (shared == null) {
            throw new ParameterException(spec.commandLine(), "--tier-address with the local event store (expected:"
                    + " --event-store etcd; the LB tier is the instances of a trench that share one stream)");
        }
        return shared.withTier(tier.address, tier.interfaceName);
    }

    @Override
    public Integer call() throws InterruptedException {
        String logProblem = LogSettings.problem(logLevels);
        if (logProblem != null) {
            throw new ParameterException(spec.commandLine(), logProblem);
        }
        LogSettings.apply(logLevels, logFormat);
        PrintWriter out = spec.commandLine().getOut();
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new ParameterException(spec.commandLine(), "--listen " + listen
                    + " (expected: HOST:PORT, such as 127.0.0.1:8470)");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--listen " + listen + ": port "
                    + listen.substring(colon + 1)
                    + " (expected: 0..65535)");
        }
        if (netns != null && !"kernel".equals(backend)) {
            throw new ParameterException(spec.commandLine(), "--netns " + netns
                    + " is for --backend kernel (expected: no --netns"
                    + " with --backend " + backend + ")");
        }
        checkLoadBalancerOptions();
        DaemonOptions options = DaemonOptions.defaults(dataDir).withBackend(backend).withConfig(config)
                .withListen(host, port).withTokenFile(tokenFile).withTls(tls()).withKernel(netns)
                .withLoadBalancer(nfqlb.options()).withProbes(probes.settings())
                .withShared(shared());
        Daemon daemon = Daemon.start(options);
        SystemdNotify systemd = SystemdNotify.fromEnvironment();
        String url = (tlsCert == null ? "http" : "https") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + daemon.address().getPort();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        if (Signal.handle(new Signal("HUP"), signal -> reload(daemon, systemd, url)) == SignalHandler.SIG_IGN) {
            // Started under nohup (or with SIGHUP ignored otherwise): the JVM leaves the signal ignored.
            LOG.warn("SIGHUP is ignored by this process (started under nohup?), so it cannot reload {}: use slb"
                    + " apply -f {} instead, or start it without nohup (systemd, setsid)", config == null
                    ? "a configuration" : config, config == null ? "FILE" : config);
        }
        out.println("slb: listening on " + url + " (backend " + backend + ", data dir " + dataDir + ", events in "
                + daemon.controller().status().events() + ", sequence " + daemon.sequence() + ")");
        out.flush();
        // Serving is what systemd waits for; the dataplane's readiness is /readyz's and slb status's to tell.
        systemd.ready("serving on " + url + ", backend " + backend + ", sequence " + daemon.sequence());
        stop.await();
        systemd.stopping();
        out.println("slb: stopping: draining the pipeline");
        out.flush();
        daemon.close();
        out.println("slb: stopped at sequence " + daemon.sequence());
        out.flush();
        return 0;
    }

    /**
     * Refuses nfqlb's options with values no trench takes (such as {@code --queues 5:2}) as a usage error, by the
     * rules the daemon decides them with, before anything starts.
     */
    private void checkLoadBalancerOptions() {
        State anyTrench = State.empty().evolve(new TrenchDefined("trench"));
        nfqlb.options().changeFrom(anyTrench).ifPresent(command -> Decider.decide(anyTrench, command).fold(
                problems -> {
                    throw new ParameterException(spec.commandLine(), problems.map(Problem::message).mkString("; "));
                }, event -> null));
    }

    /** @return the HTTPS certificate and key, or null for plain HTTP; one without the other is a usage error */
    private HttpApi.Tls tls() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), (tlsCert == null ? "--tls-key" : "--tls-cert")
                    + " alone (expected:"
                    + " --tls-cert FILE and --tls-key FILE together, or neither)");
        }
        return tlsCert == null ? null : new HttpApi.Tls(tlsCert, tlsKey);
    }

    private void reload(Daemon daemon, SystemdNotify systemd, String url) {
        // Signal handlers run on their own thread; a reload waits for its events, so it gets one of its own.
        Thread reloading = new Thread(() -> {
            systemd.reloading();
            try {
                List<Submission> answers = daemon.reload();
                long recorded = answers.stream().filter(Submission.Recorded.class::isInstance).count();
                String rejected = answers.isEmpty() ? "" : answers.get(answers.size() - 1).fold(
                        problems -> ", then one change rejected: " + problems.mkString("; "),
                        unchanged -> "", last -> "");
                LOG.info("reloaded {}: {} change(s) recorded{}", config, recorded, rejected);
            } catch (RuntimeException e) {
                LOG.error("reload of {} refused, nothing changed: {}", config, e.getMessage());
            }
            systemd.ready("serving on " + url + ", backend " + backend + ", sequence " + daemon.sequence());
        }, "reload");
        reloading.start();
    }
}
