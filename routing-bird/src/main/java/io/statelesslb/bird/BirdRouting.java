package io.statelesslb.bird;

import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.dataplane.routing.RoutingDaemon;
import io.statelesslb.dataplane.routing.RoutingException;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.plan.GatewaySpec;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BIRD 2 as the trench's routing daemon: one instance per trench, in the load balancer's network namespace, with its
 * files in a directory of the daemon's ({@code bird.conf}, written only by this class and readable by its owner
 * alone, since it may hold BGP passwords; the control socket {@code bird.ctl}; {@code bird.pid}).
 *
 * <ul>
 *   <li>Configuring writes the new file aside, has BIRD check it ({@code configure check}), and only then moves it in
 *       place and reconfigures: a configuration BIRD refuses is a {@link RoutingException} with BIRD's text, and
 *       BIRD runs on with the one it had.</li>
 *   <li>It asks BIRD for its protocols and BFD sessions every {@link #POLL} and tells its listeners of every change of
 *       a session, well within a second of BIRD seeing it.</li>
 *   <li>A BIRD that exits on its own is started again after a backoff (0.5 s, doubling to 30 s, back to 0.5 s after
 *       a minute up); each restart is an incident. A BIRD left running by an earlier run of the daemon (killed) is
 *       taken over, not restarted: its sessions stay up.</li>
 *   <li>Closing shuts BIRD down gracefully: its BGP sessions end with a notification, so the gateways withdraw the
 *       VIPs at once, and the routes it wrote into table 4096 go with it.</li>
 * </ul>
 */
public final class BirdRouting implements RoutingDaemon {

    private static final Logger LOG = LoggerFactory.getLogger(BirdRouting.class);
    /** How often BIRD is asked for its sessions' states. */
    static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final Duration STOP = Duration.ofSeconds(5);
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long STABLE_MILLIS = 60_000;

    private final Path directory;
    private final Path namespace;
    private final Path executable;
    private final Path config;
    private final Path socket;
    private final Path pidFile;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private final List<String> incidents = new ArrayList<>();

    private SortedMap<String, GatewaySpec> configured = TreeMap.empty();
    private List<GatewaySession> sessions = List.of();
    private ProcessHandle process;
    private BirdControl control;
    private long startedAtMillis;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    private long restartAtMillis = -1;
    private String exitReason = "";
    private String pollFailure = "";
    private boolean closed;

    private BirdRouting(Path directory, Path namespace, Path executable) {
        this.directory = directory;
        this.namespace = namespace;
        this.executable = executable;
        this.config = directory.resolve("bird.conf");
        this.socket = directory.resolve("bird.ctl");
        this.pidFile = directory.resolve("bird.pid");
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bird-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes over the BIRD an earlier run left, if one answers, and starts asking for its sessions; otherwise BIRD
     * starts with the first session configured (a daemon that runs no gateway runs no BIRD).
     *
     * @param directory where BIRD's files are kept (created, owner-only)
     * @param namespace the network namespace file BIRD runs in ({@code /run/netns/NAME}), or null for this one
     * @throws RoutingException when BIRD is not installed or does not start
     */
    public static BirdRouting start(Path directory, Path namespace) {
        Path executable = installed().orElseThrow(() -> new RoutingException(NOT_INSTALLED));
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new RoutingException("BIRD's directory " + directory + " cannot be made: " + e.getMessage(), e);
        }
        if (directory.resolve("bird.ctl").toString().length() > 107) {
            throw new RoutingException("BIRD's control socket " + directory.resolve("bird.ctl") + " is longer than a"
                    + " Unix socket's 107 bytes (expected: a shorter --data-dir)");
        }
        BirdRouting routing = new BirdRouting(directory, namespace, executable);
        synchronized (routing) {
            routing.takeOver();
        }
        long poll = POLL.toMillis();
        routing.poller.scheduleWithFixedDelay(routing::poll, poll, poll, TimeUnit.MILLISECONDS);
        return routing;
    }

    /** What an operator reads when BIRD is missing. */
    public static final String NOT_INSTALLED = "bird is not installed (apt-get install bird2): the gateways' BGP"
            + " and BFD sessions, the VIPs' announcement and the replies' default route in table 4096 need it";

    /** @return BIRD's executable, if installed where Debian's {@code bird2} puts it or on the PATH */
    public static Optional<Path> installed() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/bird"), Path.of("/usr/local/sbin/bird")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "bird"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    @Override
    public void configure(SortedMap<String, GatewaySpec> gateways) {
        String text = BirdConfig.render(gateways, BirdRouting::password);
        synchronized (this) {
            if (closed) {
                throw new RoutingException("BIRD is stopping");
            }
            if (control == null && gateways.isEmpty()) {
                configured = gateways;
                return;
            }
            if (control == null && process == null) {
                writeConfig(config, BirdConfig.render(TreeMap.empty(), gateway -> ""));
                launch();
            }
            if (control == null) {
                throw new RoutingException("BIRD is not running (" + exitReason + "; starting it again)");
            }
            Path next = directory.resolve("bird.conf.next");
            writeConfig(next, text);
            BirdReply check = control.send("configure check \"" + next + "\"");
            if (!check.ok()) {
                throw new RoutingException("BIRD refused the configuration: " + check.text());
            }
            move(next, config);
            BirdReply reconfigured = control.send("configure \"" + config + "\"");
            if (!reconfigured.ok()) {
                throw new RoutingException("BIRD did not reconfigure: " + reconfigured.text());
            }
            configured = gateways;
            LOG.info("BIRD runs {} gateway session(s): {}", gateways.size(), gateways.keySet().mkString(", "));
        }
        poll();
    }

    @Override
    public synchronized SortedMap<String, GatewaySpec> configured() {
        return control == null ? TreeMap.empty() : configured;
    }

    @Override
    public synchronized List<GatewaySession> sessions() {
        return sessions;
    }

    @Override
    public void onChange(Runnable changed) {
        listeners.add(changed);
    }

    @Override
    public synchronized List<String> incidents() {
        List<String> told = List.copyOf(incidents);
        incidents.clear();
        return told;
    }

    /**
     * Asks BIRD for its sessions, starts it again when due (or reconnects to one whose socket failed), and tells the
     * listeners of any change. A failure is logged once, not every poll.
     */
    private void poll() {
        boolean changed;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (control == null && restartAtMillis >= 0 && System.currentTimeMillis() >= restartAtMillis) {
                    launch();
                } else if (control == null && process != null && process.isAlive()) {
                    control = BirdControl.connect(socket, ANSWER);
                }
                pollFailure = "";
            } catch (RoutingException e) {
                failed(e);
            }
            List<GatewaySession> now;
            try {
                now = control == null ? down(configured, exitReason) : read();
            } catch (RoutingException e) {
                failed(e);
                // Asked again, on a new connection, at the next poll.
                control.close();
                control = null;
                now = down(configured, e.getMessage());
            }
            changed = !now.equals(sessions);
            sessions = now;
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    private void failed(RoutingException e) {
        if (!e.getMessage().equals(pollFailure)) {
            LOG.warn("asking BIRD for its sessions failed: {}", e.getMessage());
            pollFailure = e.getMessage();
        }
    }

    /** @return each configured session as BIRD reports it */
    private List<GatewaySession> read() {
        Map<String, ProtocolStatus> protocols = ProtocolStatus.parse(control.send("show protocols all"));
        Map<IpAddress, String> bfd = new HashMap<>();
        if (configured.values().exists(spec -> spec.gateway().bfd())) {
            ProtocolStatus.parseBfd(control.send("show bfd sessions")).forEach((address, state) ->
                    IpAddress.parse(address).forEach(parsed -> bfd.put(parsed, state)));
        }
        List<GatewaySession> now = new ArrayList<>();
        for (GatewaySpec spec : configured.values()) {
            Gateway gateway = spec.gateway();
            ProtocolStatus protocol = protocols.get(BirdConfig.protocolName(gateway.name()));
            Optional<String> bfdState = gateway.bfd() ? Optional.of(bfd.getOrDefault(gateway.address(), "Down"))
                    : Optional.empty();
            if (protocol == null) {
                now.add(new GatewaySession(gateway.name(), false, "absent", Optional.empty(), bfdState, 0,
                        spec.announced(), "BIRD runs no protocol for it"));
                continue;
            }
            boolean up;
            String state;
            if (gateway.protocol() == GatewayProtocol.BGP) {
                up = protocol.up();
                state = protocol.info().isEmpty() ? protocol.state() : protocol.info().split("\\s+")[0];
            } else {
                up = protocol.up() && bfdState.map("Up"::equals).orElse(true);
                state = up ? "configured" : "unreachable";
            }
            now.add(new GatewaySession(gateway.name(), up, state, protocol.since(), bfdState,
                    protocol.routesLearned(), gateway.protocol() == GatewayProtocol.BGP ? spec.announced()
                    : TreeSet.empty(), protocol.lastError()));
        }
        return now;
    }

    private static List<GatewaySession> down(SortedMap<String, GatewaySpec> gateways, String why) {
        return gateways.values().map(spec -> new GatewaySession(spec.name(), false, "BIRD not running",
                Optional.empty(), spec.gateway().bfd() ? Optional.of("Down") : Optional.empty(), 0,
                TreeSet.empty(), why)).toJavaList();
    }

    /** @return whether a BIRD an earlier run left answers on the socket, now supervised as this one's */
    private boolean takeOver() {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            BirdControl answering = BirdControl.connect(socket, ANSWER);
            Optional<ProcessHandle> running = readPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (running.isEmpty()) {
                answering.close();
                return false;
            }
            control = answering;
            process = running.get();
            startedAtMillis = System.currentTimeMillis();
            // What it runs is what the file says; the first apply configures it again from the plan.
            configured = TreeMap.empty();
            watchExit(process);
            LOG.info("BIRD (pid {}) left running by an earlier run answers on {}: taken over", process.pid(),
                    socket);
            return true;
        } catch (RoutingException e) {
            return false;
        }
    }

    private Optional<Long> readPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts BIRD on the last configuration written, and connects to it. */
    private void launch() {
        restartAtMillis = -1;
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("nsenter", "--net=" + namespace));
        }
        command.addAll(List.of(executable.toString(), "-f", "-c", config.toString(), "-s", socket.toString(), "-P",
                pidFile.toString()));
        try {
            Files.deleteIfExists(socket);
            Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
            relay(started);
            process = started.toHandle();
            startedAtMillis = System.currentTimeMillis();
            watchExit(process);
            long deadline = System.nanoTime() + ANSWER.toNanos();
            RoutingException last = null;
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    control = BirdControl.connect(socket, ANSWER);
                    LOG.info("BIRD started (pid {}), control socket {}", process.pid(), socket);
                    return;
                } catch (RoutingException e) {
                    last = e;
                    Thread.sleep(50);
                }
            }
            process.destroy();
            throw retryLater("BIRD did not start: " + (last == null ? "it exited (its log says why)"
                    : last.getMessage()));
        } catch (IOException e) {
            throw retryLater("BIRD could not be started (" + String.join(" ", command) + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoutingException("interrupted while BIRD started", e);
        }
    }

    /** @return the failure to start, with the next attempt scheduled after the backoff */
    private RoutingException retryLater(String why) {
        exitReason = why;
        restartAtMillis = System.currentTimeMillis() + backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        return new RoutingException(why);
    }

    /** BIRD's own log lines go to the daemon's log. */
    private static void relay(Process bird) {
        Thread relay = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(bird.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    LOG.info("bird: {}", line);
                }
            } catch (IOException e) {
                LOG.debug("BIRD's output ended: {}", e.getMessage());
            }
        }, "bird-log");
        relay.setDaemon(true);
        relay.start();
    }

    private void watchExit(ProcessHandle watched) {
        watched.onExit().thenRun(() -> exited(watched));
    }

    private void exited(ProcessHandle ended) {
        synchronized (this) {
            if (closed || ended != process) {
                return;
            }
            if (control != null) {
                control.close();
                control = null;
            }
            long up = System.currentTimeMillis() - startedAtMillis;
            backoffMillis = up >= STABLE_MILLIS ? FIRST_BACKOFF_MILLIS : backoffMillis;
            exitReason = "BIRD (pid " + ended.pid() + ") exited after " + up / 1000 + " s up";
            incidents.add(exitReason + "; started again after " + backoffMillis + " ms");
            LOG.warn("{}; starting it again in {} ms", exitReason, backoffMillis);
            restartAtMillis = System.currentTimeMillis() + backoffMillis;
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        }
        listeners.forEach(Runnable::run);
    }

    /** Writes a configuration file readable by its owner alone: it may hold passwords. */
    private void writeConfig(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RoutingException("BIRD's configuration " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a gateway's BGP password: its file's first line, without the line break */
    private static String password(Gateway gateway) {
        Path file = Path.of(gateway.options().passwordFile());
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw new RoutingException("gateway " + gateway.name() + ": its password file " + file
                    + " cannot be read (" + e.getClass().getSimpleName().replace("Exception", "") + ")");
        }
    }

    @Override
    public void close() {
        ProcessHandle stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = process;
            if (control != null) {
                try {
                    // Graceful: BGP sessions end with a notification, the gateways withdraw at once.
                    control.send("down");
                } catch (RoutingException e) {
                    LOG.debug("BIRD did not take 'down': {}", e.getMessage());
                }
                control.close();
                control = null;
            }
        }
        poller.shutdownNow();
        if (stopping != null) {
            try {
                stopping.onExit().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("BIRD (pid {}) did not stop within {} s: killed", stopping.pid(), STOP.toSeconds());
                stopping.destroyForcibly();
            }
        }
        LOG.info("BIRD stopped: every announcement withdrawn");
    }
}
