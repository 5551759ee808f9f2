package io.statelesslb.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of mangled configurations, from a fixed seed: each is either read or refused with located errors (a
 * {@link ConfigException}), never another exception.
 */
class ConfigFuzzTest {

    /** 400 unless the campaign script asks for more or fewer ({@code -Dslb.fuzz.cases=N}). */
    private static final int CASES = Integer.getInteger("slb.fuzz.cases", 400);

    @Test
    void everyMangledConfigurationIsReadOrRefusedWithItsErrorsNeverCrashes() throws IOException {
        String seed = Files.readString(Path.of("..", "examples", "seed-scenario.yaml"));
        State configured = Scenarios.fold(Scenarios.seed());
        Random random = new Random(20261206);
        List<String> crashes = new ArrayList<>();
        int refusals = 0;
        String[] inserts = {": ", "- ", "\n", "\t", "&a ", "*a", "<<: ", "{", "}", "[", "]", "\"", "'", "#", "null",
            "~", "!!int ", "99999999999999999999", "-1", "0x1F", "\\u0000", "    "};
        for (int i = 0; i < CASES; i++) {
            int at = random.nextInt(seed.length());
            String mangled = switch (random.nextInt(3)) {
                case 0 -> seed.substring(0, at) + inserts[random.nextInt(inserts.length)] + seed.substring(at);
                case 1 -> seed.substring(0, at) + seed.substring(Math.min(seed.length(), at + 1
                        + random.nextInt(20)));
                default -> {
                    int line = seed.indexOf('\n', at);
                    yield line < 0 ? seed : seed.substring(0, at) + seed.substring(line);
                }
            };
            try {
                Configuration.parse("fuzz.yaml", mangled).changesFrom(configured);
            } catch (ConfigException refused) {
                assertThat(refused.errors()).as("case %d refused with its errors", i).isNotEmpty();
                refusals++;
            } catch (RuntimeException crash) {
                crashes.add("case " + i + ": " + crash + "\n" + mangled);
            }
        }
        // The line reliability/campaigns.py puts in docs/reliability.md.
        System.out.printf("campaign: %d mangled configurations (seed 20261206): %d read, %d refused with located"
                + " errors, %d crashes%n", CASES, CASES - refusals - crashes.size(), refusals, crashes.size());
        assertThat(crashes).isEmpty();
    }
}
