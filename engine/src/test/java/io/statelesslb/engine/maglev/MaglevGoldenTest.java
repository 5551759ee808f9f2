package io.statelesslb.engine.maglev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.engine.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every line of golden/maglev.jsonl: nfqlb's whole lookup table for a shape and a set of active slots. */
class MaglevGoldenTest {

    @Test
    void reproducesEveryGoldenTableEntryByEntry() throws Exception {
        List<String> lines = Golden.lines("maglev.jsonl");
        assertThat(lines).hasSize(9);
        PermutationCache cache = new PermutationCache();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode vector = json.readTree(line);
            int m = vector.get("M").asInt();
            int n = vector.get("N").asInt();
            Maglev maglev = new Maglev(m, n, cache);
            assertThat(maglev.m()).as("effective M of %d", m).isEqualTo(vector.get("effectiveM").asInt());
            int[] fwmarks = new int[n];
            vector.get("active").fields()
                    .forEachRemaining(e -> fwmarks[Integer.parseInt(e.getKey())] = e.getValue().asInt());
            maglev.setAll(fwmarks);
            JsonNode lookup = vector.get("lookup");
            MaglevTable table = maglev.view().table();
            assertThat(table.size()).isEqualTo(lookup.size());
            for (int i = 0; i < lookup.size(); i++) {
                assertThat(table.entry(i)).as("M=%d N=%d entry %d", m, n, i).isEqualTo(lookup.get(i).asInt());
            }
        }
    }
}
