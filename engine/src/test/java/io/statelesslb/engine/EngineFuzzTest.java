package io.statelesslb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.flow.FlowRule;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.engine.packet.PacketKey;
import io.statelesslb.engine.testing.Golden;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated packets (bits flipped, bytes set, cut short, extended, headers forged) through the
 * whole decision path: it never throws, every decision is one of the defined ones, and no memory is retained.
 */
class EngineFuzzTest {

    private static final int PACKETS = 1_000_000;

    @Test
    void aMillionMutatedPacketsNeverThrowAndRetainNothing() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        List<Boolean> seedIpv6 = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        // The key vectors cover every parse path; the flow vectors are aimed at the VIPs, so they load-balance.
        for (String file : List.of("hashkey.jsonl", "flows.jsonl")) {
            for (String line : Golden.lines(file)) {
                var vector = json.readTree(line);
                if (vector.has("packet")) {
                    seeds.add(HexFormat.of().parseHex(vector.get("packet").asText()));
                    seedIpv6.add(vector.get("family").asText().equals("v6"));
                }
            }
        }
        List<FlowRule> flows = io.statelesslb.engine.flow.FlowGoldenTestFlows.all();
        Maglev maglev = new Maglev(997, 10, new PermutationCache());
        maglev.setAll(new int[] {5001, 5002, 0, 5004, 5005, 5006, 0, 5008, 5009, 5010});
        List<Maglev> maglevs = new ArrayList<>();
        flows.forEach(f -> maglevs.add(maglev));
        LoadBalancer engine = new LoadBalancer(
                new EngineConfig(FlowClassifier.compile(flows, true), maglevs, 0, 7, 9899));
        PacketKey key = new PacketKey();
        PacketDecision decision = new PacketDecision();
        Random random = new Random(20261126);
        byte[] buffer = new byte[2048];

        long before = retainedHeap();
        int marked = 0;
        for (int i = 0; i < PACKETS; i++) {
            int pick = random.nextInt(seeds.size());
            byte[] seed = seeds.get(pick);
            boolean ipv6 = random.nextInt(20) == 0 ? !seedIpv6.get(pick) : seedIpv6.get(pick);
            int length = mutate(seed, buffer, random);
            int offset = random.nextInt(4) == 0 ? random.nextInt(8) : 0;
            if (offset > 0) {
                System.arraycopy(buffer, 0, buffer, offset, Math.min(length, buffer.length - offset));
                length = Math.min(length, buffer.length - offset);
            }
            engine.decide(buffer, offset, length, ipv6, key, decision);
            assertThat(decision.verdict() == Verdict.MARK || decision.fwmark() == 0).isTrue();
            if (decision.reason() == DecisionReason.LOAD_BALANCED) {
                assertThat(decision.fwmark()).isBetween(5001, 5010);
                marked++;
            }
        }
        long after = retainedHeap();
        assertThat(marked).as("some mutated packets still load-balance").isPositive();
        assertThat(after - before).as("retained heap growth, bytes").isLessThan(4L * 1024 * 1024);
    }

    /** @return the length of a mutation of {@code seed} written into {@code out} */
    private static int mutate(byte[] seed, byte[] out, Random random) {
        int length = seed.length;
        System.arraycopy(seed, 0, out, 0, length);
        switch (random.nextInt(6)) {
            case 0:
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    int at = random.nextInt(length);
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
                return length;
            case 1:
                return random.nextInt(length + 1);
            case 2:
                int extra = random.nextInt(64);
                for (int i = 0; i < extra && length < out.length; i++) {
                    out[length++] = (byte) random.nextInt();
                }
                return length;
            case 3:
                // Forge the header fields the parser relies on.
                int field = random.nextInt(Math.min(length, 48) + 1);
                if (field < length) {
                    out[field] = (byte) random.nextInt();
                }
                return length;
            case 4:
                int noise = random.nextInt(120);
                for (int i = 0; i < noise; i++) {
                    out[i] = (byte) random.nextInt();
                }
                out[0] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
                return noise;
            default:
                return length;
        }
    }

    private static long retainedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // Several collections: a single System.gc() is only a hint.
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
