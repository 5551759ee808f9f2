package io.statelesslb.dataplane.live;

import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.TappedPacket;
import io.statelesslb.engine.TraceTap;
import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live tracing for one backend ({@code slb trace --follow}): the engines that decide real packets register here;
 * while at least one operator follows, each has a {@link TraceTap} and a reader drains them into the followers'
 * sinks. With no follower no engine has a tap, and the packet path pays one field read.
 *
 * <p>Each follower gets the packets of its flow, at most its rate's worth per second over all engines together.
 */
public final class LiveTracing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTracing.class);
    /** How often the reader thread drains the taps: the delay a follower sees. */
    private static final long DRAIN_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Slots per tap: a second's worth at the highest rate, so a reader that pauses briefly loses nothing. */
    private static final int RING = LiveTraceRequest.MAX_PER_SECOND;

    private final IntFunction<String> interfaces;
    private final LongFunction<Instant> clock;
    private final boolean drainsItself;
    /** The registered engines and the queue each serves (null: none, the simulator's). */
    private final Map<LoadBalancer, Integer> engines = new LinkedHashMap<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile List<Tapped> taps = List.of();
    private Thread reader;
    /** Serialises readers: the key below is theirs. */
    private final Object reading = new Object();
    private final PacketKey key = new PacketKey();

    private record Tapped(LoadBalancer engine, TraceTap tap, Integer queue) {
    }

    /** One operator's live trace: its request, its sink, and its own rate bound (GCRA over the packets' times). */
    private static final class Follower implements AutoCloseable {
        final LiveTraceRequest request;
        final Consumer<LiveTrace> sink;
        final LiveTracing owner;
        long due = Long.MIN_VALUE;

        Follower(LiveTraceRequest request, Consumer<LiveTrace> sink, LiveTracing owner) {
            this.request = request;
            this.sink = sink;
            this.owner = owner;
        }

        boolean wants(TappedPacket packet) {
            if (request.flow().exists(flow -> !flow.equals(packet.flow()))) {
                return false;
            }
            long spacing = TimeUnit.SECONDS.toNanos(1) / request.perSecond();
            if (due != Long.MIN_VALUE && packet.nanos() < due - (TimeUnit.SECONDS.toNanos(1) - spacing)) {
                return false;
            }
            due = Math.max(due, packet.nanos()) + spacing;
            return true;
        }

        @Override
        public void close() {
            owner.leave(this);
        }
    }

    /**
     * @param interfaces   names an interface by its index (null when it does not know it)
     * @param clock        turns an engine's nanosecond time into the wall-clock time of a trace
     * @param drainsItself whether a thread of its own drains the taps; otherwise the owner calls {@link #drain}
     *                     after each packet it decides (the simulator, which is single-threaded and deterministic)
     */
    public LiveTracing(IntFunction<String> interfaces, LongFunction<Instant> clock, boolean drainsItself) {
        this.interfaces = interfaces;
        this.clock = clock;
        this.drainsItself = drainsItself;
    }

    /** A tracing hub for an engine on the system clock, drained by a thread of its own (the kernel's workers). */
    public static LiveTracing onSystemClock(IntFunction<String> interfaces) {
        return new LiveTracing(interfaces, nanos -> Instant.now().minusNanos(System.nanoTime() - nanos), true);
    }

    /** Tracks an engine that decides real packets: tapped while anyone follows. */
    public synchronized void register(LoadBalancer engine, Integer queue) {
        engines.put(engine, queue);
        retap();
    }

    /** Stops tracking an engine (its queue was closed). */
    public synchronized void unregister(LoadBalancer engine) {
        if (engines.containsKey(engine)) {
            engines.remove(engine);
            engine.tap(null);
            retap();
        }
    }

    /**
     * Starts following packets live.
     *
     * @param sink gets each trace; it must return quickly (it is called on the reader's thread) and not throw
     * @return closing it stops following
     */
    public synchronized AutoCloseable follow(LiveTraceRequest request, Consumer<LiveTrace> sink) {
        Follower follower = new Follower(request, sink, this);
        followers.add(follower);
        retap();
        if (drainsItself && reader == null) {
            reader = new Thread(this::read, "slb-live-trace");
            reader.setDaemon(true);
            reader.start();
        }
        return follower;
    }

    /** @return how many followers there are */
    public int followers() {
        return followers.size();
    }

    private synchronized void leave(Follower follower) {
        if (followers.remove(follower)) {
            retap();
        }
    }

    /**
     * Gives every engine the tap the followers need, or none: one flow's packets if every follower asks for the
     * same flow, at the highest rate any asks for.
     */
    private void retap() {
        List<Tapped> now = new ArrayList<>();
        if (!followers.isEmpty()) {
            String flow = followers.get(0).request.flow().getOrNull();
            int rate = 1;
            for (Follower follower : followers) {
                if (flow != null && !follower.request.flow().contains(flow)) {
                    flow = null;
                }
                rate = Math.max(rate, follower.request.perSecond());
            }
            for (Map.Entry<LoadBalancer, Integer> engine : engines.entrySet()) {
                TraceTap tap = new TraceTap(flow, rate, RING, engine.getKey().nanoTime());
                engine.getKey().tap(tap);
                now.add(new Tapped(engine.getKey(), tap, engine.getValue()));
            }
        } else {
            engines.keySet().forEach(engine -> engine.tap(null));
        }
        taps = List.copyOf(now);
    }

    /** Hands what the taps copied to the followers that want it. The reader thread's, or the owner's. */
    public void drain() {
        synchronized (reading) {
            for (Tapped tapped : taps) {
                tapped.tap().drain(tapped.engine().nanoTime(), packet -> deliver(packet, tapped.queue()));
            }
        }
    }

    private void deliver(TappedPacket packet, Integer queue) {
        LiveTrace trace = null;
        for (Follower follower : followers) {
            if (!follower.wants(packet)) {
                continue;
            }
            if (trace == null) {
                trace = describe(packet, queue);
            }
            try {
                follower.sink.accept(trace);
            } catch (RuntimeException e) {
                LOG.warn("a live trace's follower failed and was dropped: {}", e.getMessage());
                follower.close();
            }
        }
    }

    private void read() {
        while (true) {
            synchronized (this) {
                if (followers.isEmpty()) {
                    reader = null;
                    return;
                }
            }
            drain();
            LockSupport.parkNanos(DRAIN_EVERY_NANOS);
        }
    }

    private LiveTrace describe(TappedPacket packet, Integer queue) {
        byte[] bytes = packet.header();
        boolean ipv6 = packet.ipv6();
        KeyExtractor.extract(bytes, 0, bytes.length, ipv6, 0, key);
        int protocol = key.protocol() >= 0 ? key.protocol() : bytes.length > 9 && !ipv6 ? bytes[9] & 0xFF
                : bytes.length > 6 ? bytes[6] & 0xFF : -1;
        boolean ported = (protocol == KeyExtractor.TCP || protocol == KeyExtractor.UDP
                || protocol == KeyExtractor.SCTP) && key.result() >= 0
                && (key.result() & (KeyResult.LATER_FRAGMENT | KeyResult.ICMP_INNER_PACKET)) == 0;
        boolean balanced = packet.slot() >= 0;
        return new LiveTrace(clock.apply(packet.nanos()), queue, ingress(packet.ingress()), ipv6 ? "ipv6" : "ipv4",
                protocolName(protocol), address(bytes, ipv6, true), ported ? key.sourcePort() : null,
                address(bytes, ipv6, false), ported ? key.destinationPort() : null, packet.length(), packet.flow(),
                packet.stream(), balanced ? packet.hash() & 0xFFFF_FFFFL : null, balanced ? packet.slot() : null,
                balanced ? packet.slot() + 1 : null, packet.fwmark(), packet.verdict().name().toLowerCase(Locale.ROOT),
                packet.reason().name().toLowerCase(Locale.ROOT), HexFormat.of().formatHex(bytes));
    }

    private String ingress(int index) {
        return switch (index) {
            case TraceTap.LOCAL -> "local";
            case TraceTap.UNKNOWN -> null;
            default -> interfaces.apply(index);
        };
    }

    private static String protocolName(int protocol) {
        return switch (protocol) {
            case KeyExtractor.TCP -> "tcp";
            case KeyExtractor.UDP -> "udp";
            case KeyExtractor.SCTP -> "sctp";
            case KeyExtractor.ICMP -> "icmp";
            case KeyExtractor.ICMPV6 -> "icmpv6";
            default -> Integer.toString(protocol);
        };
    }

    /** @return the packet's own source or destination (an ICMP error's, not its quoted packet's), or null */
    private static String address(byte[] bytes, boolean ipv6, boolean source) {
        if (!ipv6) {
            int at = source ? 12 : 16;
            return bytes.length < at + 4 ? null : IpAddress.ipv4(readInt(bytes, at)).toString();
        }
        int at = source ? 8 : 24;
        return bytes.length < at + 16 ? null
                : IpAddress.ipv6(readLong(bytes, at), readLong(bytes, at + 8)).toString();
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8
                | (bytes[at + 3] & 0xFF);
    }

    private static long readLong(byte[] bytes, int at) {
        return (long) readInt(bytes, at) << 32 | (readInt(bytes, at + 4) & 0xFFFF_FFFFL);
    }

    /** Stops every follower and untaps every engine. */
    @Override
    public synchronized void close() {
        followers.clear();
        retap();
    }
}
