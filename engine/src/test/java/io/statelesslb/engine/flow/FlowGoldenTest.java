package io.statelesslb.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.PacketKey;
import io.statelesslb.engine.testing.Golden;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every line of golden/flows.jsonl: the flow nfqlb chose for each packet, with promiscuous ping off, then on. */
class FlowGoldenTest {

    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "sctp", 132);

    /** The flow definitions of golden/README.md, in order. */
    static List<FlowRule> goldenFlows() {
        return List.of(
                flow("flow-a-z-tcp", 1, "tcp", "4000", "", "::ffff:20.0.0.1/128,2000::1/128", ""),
                flow("flow-a-z-udp", 2, "udp", "4000-4010,5000", "", "::ffff:20.0.0.1/128,2000::1/128", ""),
                flow("flow-b-any", 0, "", "", "", "::ffff:40.0.0.0/120,3000::/120", ""),
                flow("flow-c-src", 5, "tcp,udp", "80,443", "1024-65535", "::ffff:40.0.0.0/120",
                        "::ffff:10.0.0.0/104,fd00::/16"),
                flow("flow-d-match", 7, "tcp", "", "", "::ffff:20.0.0.1/128", "",
                        new ByteComparison(6, 13, 1, 0x02, 0x02)),
                flow("flow-e-sctp", 3, "sctp", "6000", "", "::ffff:20.0.0.1/128,2000::1/128", ""));
    }

    /** A flow written as nfqlb's flow-set options are: comma-separated lists, prefixes in their IPv6 form. */
    static FlowRule flow(String name, int priority, String protocols, String dports, String sports, String dsts,
                         String srcs, ByteComparison... matches) {
        return new FlowRule(name, "stream", priority,
                split(protocols).stream().map(PROTOCOLS::get).toList(),
                split(dsts).stream().map(FlowGoldenTest::prefix).toList(),
                split(srcs).stream().map(FlowGoldenTest::prefix).toList(),
                split(dports).stream().map(FlowGoldenTest::ports).toList(),
                split(sports).stream().map(FlowGoldenTest::ports).toList(),
                List.of(matches));
    }

    private static List<String> split(String list) {
        return list.isEmpty() ? List.of() : Arrays.asList(list.split(","));
    }

    private static PortInterval ports(String text) {
        String[] bounds = text.split("-");
        return new PortInterval(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1]));
    }

    /** @return {@code ADDRESS/LENGTH} with an IPv6 literal (IPv4 as {@code ::ffff:a.b.c.d}); the JDK parses it */
    static Prefix prefix(String text) {
        String[] parts = text.split("/");
        try {
            byte[] bytes = InetAddress.getByName(parts[0]).getAddress();
            ByteBuffer address = ByteBuffer.allocate(16);
            if (bytes.length == 4) { // the JDK turns ::ffff:a.b.c.d into its IPv4 address
                address.putLong(0).putInt(0xFFFF).put(bytes);
            } else {
                address.put(bytes);
            }
            return new Prefix(address.getLong(0), address.getLong(8), Integer.parseInt(parts[1]));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void choosesTheGoldenFlowForEveryPacket() throws Exception {
        List<String> lines = Golden.lines("flows.jsonl");
        assertThat(lines).hasSize(515);
        List<FlowRule> flows = goldenFlows();
        FlowClassifier classifier = FlowClassifier.compile(flows, false);
        ObjectMapper json = new ObjectMapper();
        PacketKey key = new PacketKey();
        List<String> mismatches = new ArrayList<>();
        int packets = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode vector = json.readTree(lines.get(i));
            if (vector.has("define")) {
                assertThat(vector.get("error").isNull()).isTrue();
                continue;
            }
            if (vector.has("promiscuousPing")) {
                classifier = FlowClassifier.compile(flows, vector.get("promiscuousPing").asInt() != 0);
                continue;
            }
            packets++;
            byte[] packet = HexFormat.of().parseHex(vector.get("packet").asText());
            int rc = KeyExtractor.extract(packet, 0, packet.length, vector.get("family").asText().equals("v6"),
                    vector.get("udpencap").asInt(), key);
            assertThat(rc).as("line %d", i + 1).isEqualTo(vector.get("rc").asInt());
            int chosen = classifier.classify(packet, 0, packet.length, key);
            String name = chosen == FlowClassifier.NO_FLOW ? null : classifier.flow(chosen).name();
            String expected = vector.get("flow").isNull() ? null : vector.get("flow").asText();
            if (!java.util.Objects.equals(name, expected)) {
                mismatches.add("line " + (i + 1) + ": chose " + name + ", nfqlb " + expected + " for " + lines.get(i));
            }
        }
        assertThat(packets).isEqualTo(508);
        assertThat(mismatches).as("%d mismatches", mismatches.size()).isEmpty();
    }
}
