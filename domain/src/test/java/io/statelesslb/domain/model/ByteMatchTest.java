package io.statelesslb.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteMatchTest {

    @Test
    void parsesTheSynFlagMatchOfTheGoldenFlows() {
        ByteMatch syn = ByteMatch.parse("tcp[13:1] & 0x02 = 0x02").get();
        assertThat(syn).isEqualTo(new ByteMatch(ByteMatchHeader.TCP, 13, 1, 0x02, 0x02));
        assertThat(syn).hasToString("tcp[13:1] & 0x02 = 0x02");
    }

    @Test
    void maskDefaultsToTheWholeFieldAndNumbersMayBeDecimal() {
        assertThat(ByteMatch.parse("udp[0:2] = 53").get())
                .isEqualTo(new ByteMatch(ByteMatchHeader.UDP, 0, 2, 0xFFFF, 53));
        assertThat(ByteMatch.parse("sctp[8:4]&0xffff0000=0x20010000").get().mask()).isEqualTo(0xFFFF0000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp[13:3] = 1", "tcp[13:1] = 0x100", "eth[0:1] = 1", "tcp[13] = 1", "tcp[13:1] & = 1",
            "tcp[70000:1] = 1", "tcp[13:1] & 0x1ff = 1", "udp[6:4] = 1", "sctp[12:1] = 1", "ip[0:1] = 0x45"})
    void rejectsMalformedMatches(String text) {
        assertThat(ByteMatch.parse(text).getLeft()).startsWith("match=\"" + text + "\"").contains("expected");
    }
}
