package io.statelesslb.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangeTest {

    @Test
    void parsesSinglePortsAndRanges() {
        assertThat(PortRange.parse("4000").get()).isEqualTo(new PortRange(4000, 4000)).hasToString("4000");
        assertThat(PortRange.parse("1024-65535").get()).isEqualTo(new PortRange(1024, 65535)).hasToString("1024-65535");
        assertThat(PortRange.parse("4000-4010").get().contains(4010)).isTrue();
        assertThat(PortRange.parse("4000-4010").get().contains(4011)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "65536", "5-1", "-1", "80-", "a", "1-2-3", "123456"})
    void rejectsMalformedRanges(String text) {
        assertThat(PortRange.parse(text).getLeft()).startsWith("ports=" + text).contains("expected");
    }
}
