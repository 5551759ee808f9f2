package io.statelesslb.engine.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.engine.testing.Golden;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every line of golden/hashkey.jsonl: nfqlb's return code, key bytes, hash, address hash and fragment id. */
class KeyGoldenTest {

    @Test
    void reproducesEveryGoldenKey() throws Exception {
        List<String> lines = Golden.lines("hashkey.jsonl");
        assertThat(lines).hasSize(1101);
        ObjectMapper json = new ObjectMapper();
        PacketKey key = new PacketKey();
        byte[] bytes = new byte[PacketKey.LENGTH];
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode vector = json.readTree(lines.get(i));
            byte[] packet = HexFormat.of().parseHex(vector.get("packet").asText());
            int rc = KeyExtractor.extract(packet, 0, packet.length, vector.get("family").asText().equals("v6"),
                    vector.get("udpencap").asInt(), key);
            String problem = null;
            if (rc != vector.get("rc").asInt()) {
                problem = "rc " + rc;
            } else if (rc >= 0) {
                key.copyTo(bytes);
                if (!HexFormat.of().formatHex(bytes).equals(vector.get("key").asText())) {
                    problem = "key " + HexFormat.of().formatHex(bytes);
                } else if ((key.hash() & 0xFFFF_FFFFL) != vector.get("hash").asLong()) {
                    problem = "hash " + (key.hash() & 0xFFFF_FFFFL);
                } else if ((key.addressHash() & 0xFFFF_FFFFL) != vector.get("addrHash").asLong()) {
                    problem = "addrHash " + (key.addressHash() & 0xFFFF_FFFFL);
                } else if (vector.has("fragId") && (key.fragmentId() & 0xFFFF_FFFFL) != vector.get("fragId").asLong()) {
                    problem = "fragId " + (key.fragmentId() & 0xFFFF_FFFFL);
                }
            }
            if (problem != null) {
                mismatches.add("line " + (i + 1) + ": " + problem + " for " + lines.get(i));
            }
        }
        assertThat(mismatches).as("%d mismatches", mismatches.size()).isEmpty();
    }
}
