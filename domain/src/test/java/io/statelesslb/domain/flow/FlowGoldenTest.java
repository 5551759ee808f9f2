package io.statelesslb.domain.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.packet.KeyExtractor;
import io.statelesslb.domain.packet.PacketKey;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.testing.Golden;
import io.vavr.collection.List;
import io.vavr.collection.TreeSet;
import java.util.ArrayList;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Every line of golden/flows.jsonl: the flow nfqlb chose for each packet, with promiscuous ping off, then on. */
class FlowGoldenTest {

    /** The flow definitions of golden/README.md, in order. */
    static java.util.List<FlowSpec> goldenFlows() {
        return java.util.List.of(
                flow("flow-a-z-tcp", 1, "tcp", "4000", "", "::ffff:20.0.0.1/128,2000::1/128", "", ""),
                flow("flow-a-z-udp", 2, "udp", "4000-4010,5000", "", "::ffff:20.0.0.1/128,2000::1/128", "", ""),
                flow("flow-b-any", 0, "", "", "", "::ffff:40.0.0.0/120,3000::/120", "", ""),
                flow("flow-c-src", 5, "tcp,udp", "80,443", "1024-65535", "::ffff:40.0.0.0/120",
                        "::ffff:10.0.0.0/104,fd00::/16", ""),
                flow("flow-d-match", 7, "tcp", "", "", "::ffff:20.0.0.1/128", "", "tcp[13:1] & 0x02 = 0x02"),
                flow("flow-e-sctp", 3, "sctp", "6000", "", "::ffff:20.0.0.1/128,2000::1/128", "", ""));
    }

    private static List<String> split(String list) {
        return list.isEmpty() ? List.empty() : List.of(list.split(","));
    }

    static FlowSpec flow(String name, int priority, String protocols, String dports, String sports, String dsts,
                         String srcs, String match) {
        return new FlowSpec(name, "stream", priority,
                TreeSet.ofAll(split(protocols).map(p -> Protocol.parse(p).get())),
                TreeSet.ofAll(split(srcs).map(c -> Cidr.parse(c).get())),
                TreeSet.ofAll(split(sports).map(p -> PortRange.parse(p).get())),
                TreeSet.ofAll(split(dports).map(p -> PortRange.parse(p).get())),
                TreeSet.ofAll(split(dsts).map(c -> Cidr.parse(c).get())),
                match.isEmpty() ? List.empty() : List.of(ByteMatch.parse(match).get()));
    }

    @Test
    void choosesTheGoldenFlowForEveryPacket() throws Exception {
        java.util.List<String> lines = Golden.lines("flows.jsonl");
        assertThat(lines).hasSize(515);
        java.util.List<FlowSpec> flows = goldenFlows();
        FlowClassifier classifier = FlowClassifier.compile(flows, false);
        ObjectMapper json = new ObjectMapper();
        PacketKey key = new PacketKey();
        java.util.List<String> mismatches = new ArrayList<>();
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
