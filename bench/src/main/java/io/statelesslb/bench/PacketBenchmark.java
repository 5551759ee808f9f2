package io.statelesslb.bench;

import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.engine.EngineConfig;
import io.statelesslb.engine.LoadBalancer;
import io.statelesslb.engine.PacketDecision;
import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.PacketKey;
import io.vavr.collection.List;
import io.vavr.collection.TreeSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-packet cost of shared/bench/README.md: key extraction, flow lookup, hash, Maglev lookup and fwmark over
 * the 4096 packets of packets-3flows.txt with its three flows, one stream (M=10000, N=100, all slots active,
 * fwmarks 5000..5099). {@code flowsAbove} stacks that many non-matching, higher-priority flows on top.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketBenchmark {

    @Param({"0", "10", "250", "2000"})
    public int flowsAbove;

    private byte[][] packets;
    private boolean[] ipv6;
    private EngineConfig config;
    private LoadBalancer loadBalancer;
    private FlowClassifier classifier;
    private final PacketKey key = new PacketKey();
    private final PacketDecision decision = new PacketDecision();
    private int next;

    @Setup
    public void load() throws IOException {
        var lines = new ArrayList<String>();
        try (var reader = new BufferedReader(new InputStreamReader(
                PacketBenchmark.class.getResourceAsStream("/packets-3flows.txt"), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.isBlank()).forEach(lines::add);
        }
        packets = new byte[lines.size()][];
        ipv6 = new boolean[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(" ");
            ipv6[i] = fields[0].equals("v6");
            packets[i] = HexFormat.of().parseHex(fields[1]);
        }
        var flows = new ArrayList<FlowSpec>();
        for (int i = 0; i < flowsAbove; i++) {
            // Higher priority, same protocol and VIPs, other ports: tried first, never matching.
            flows.add(flow("above-" + i, 1000 + i, "tcp", Integer.toString(10000 + i),
                    "::ffff:20.0.0.1/128,2000::1/128"));
        }
        flows.add(flow("flow-a", 1, "tcp", "4000", "::ffff:20.0.0.1/128,2000::1/128"));
        flows.add(flow("flow-b", 2, "udp", "4000-4010,5000", "::ffff:20.0.0.1/128,2000::1/128"));
        flows.add(flow("flow-c", 0, "", "", "::ffff:40.0.0.0/120,3000::/120"));
        Maglev maglev = new Maglev(10000, 100, new PermutationCache());
        int[] fwmarks = new int[100];
        for (int slot = 0; slot < 100; slot++) {
            fwmarks[slot] = 5000 + slot;
        }
        maglev.setAll(fwmarks);
        var maglevs = new ArrayList<Maglev>();
        flows.forEach(f -> maglevs.add(maglev));
        // Through the same bridge the dataplanes load their engines with.
        classifier = FlowClassifier.compile(flows.stream().map(EngineTables::rule).toList(), false);
        config = new EngineConfig(classifier, maglevs, 0, 0, 0);
        loadBalancer = new LoadBalancer(config);
    }

    private static FlowSpec flow(String name, int priority, String protocols, String dports, String dsts) {
        List<String> protocolNames = protocols.isEmpty() ? List.empty() : List.of(protocols.split(","));
        List<String> portTexts = dports.isEmpty() ? List.empty() : List.of(dports.split(","));
        return new FlowSpec(name, "stream", priority,
                TreeSet.ofAll(protocolNames.map(p -> Protocol.parse(p).get())), TreeSet.empty(), TreeSet.empty(),
                TreeSet.ofAll(portTexts.map(p -> PortRange.parse(p).get())),
                TreeSet.ofAll(List.of(dsts.split(",")).map(c -> Cidr.parse(c).get())), List.empty());
    }

    /** @return the three flows and the stream's table */
    public EngineConfig config() {
        return config;
    }

    /** @return the engine, loaded with {@link #config()} (for {@link TracingBenchmark} and the counting one) */
    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** @return the benchmark's packets, from the IP header on */
    public byte[][] packets() {
        return packets;
    }

    /** @return whether each packet is IPv6 */
    public boolean[] ipv6() {
        return ipv6;
    }

    @Benchmark
    public int decide() {
        int i = next;
        next = i + 1 == packets.length ? 0 : i + 1;
        byte[] packet = packets[i];
        loadBalancer.decide(packet, 0, packet.length, ipv6[i], key, decision);
        return decision.fwmark();
    }

    /** Breakdown: key extraction alone. */
    @Benchmark
    public int keyOnly() {
        int i = next;
        next = i + 1 == packets.length ? 0 : i + 1;
        byte[] packet = packets[i];
        return KeyExtractor.extract(packet, 0, packet.length, ipv6[i], 0, key);
    }

    /** Breakdown: key extraction and flow lookup. */
    @Benchmark
    public int keyAndFlow() {
        int i = next;
        next = i + 1 == packets.length ? 0 : i + 1;
        byte[] packet = packets[i];
        KeyExtractor.extract(packet, 0, packet.length, ipv6[i], 0, key);
        return classifier.classify(packet, 0, packet.length, key);
    }

    /** Breakdown: key extraction and hash. */
    @Benchmark
    public int keyAndHash() {
        int i = next;
        next = i + 1 == packets.length ? 0 : i + 1;
        byte[] packet = packets[i];
        KeyExtractor.extract(packet, 0, packet.length, ipv6[i], 0, key);
        return key.hash();
    }
}
