package io.statelesslb.engine.maglev;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.engine.testing.Golden;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PrimesTest {

    private static final Pattern LINE = Pattern.compile("\\{\"n\":(\\d+),\"primeBelow\":(\\d+)}");

    @Test
    void matchesEveryGoldenPrimeOfNfqlb() {
        List<String> lines = Golden.lines("primes.jsonl");
        assertThat(lines).hasSize(14);
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            assertThat(Primes.largestAtMost(Integer.parseInt(m.group(1)))).as(line)
                    .isEqualTo(Integer.parseInt(m.group(2)));
        }
    }

    @Test
    void seedStreamOfAHundredTargetsUses9973() {
        assertThat(Primes.largestAtMost(100 * 100)).isEqualTo(9973);
    }

    @Test
    void aboveNfqlbsTrialDivisionBoundTheAnswerStaysAt993997() {
        assertThat(Primes.largestAtMost(994_008)).isEqualTo(993_997);
        assertThat(Primes.largestAtMost(994_013)).isEqualTo(993_997);
        assertThat(Primes.largestAtMost(Integer.MAX_VALUE)).isEqualTo(993_997);
    }
}
