package io.statelesslb.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void keepsHostBitsOfInterfaceAddressesAndMasksThemForTheNetwork() {
        Cidr address = Cidr.parse("172.16.0.4/24").get();
        assertThat(address).hasToString("172.16.0.4/24");
        assertThat(address.network()).hasToString("172.16.0.0/24");
    }

    @Test
    void containsAddressesOfItsSubnetOnly() {
        Cidr subnet = Cidr.parse("fd00:0:0:1::4/64").get();
        assertThat(subnet.contains(IpAddress.parse("fd00:0:0:1::6").get())).isTrue();
        assertThat(subnet.contains(IpAddress.parse("fd00::6").get())).isFalse();
        assertThat(subnet.contains(IpAddress.parse("172.16.1.6").get())).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").get().contains(IpAddress.parse("1.2.3.4").get())).isTrue();
    }

    @Test
    void bareAddressIsASingleHost() {
        assertThat(Cidr.parse("2000::1").get()).hasToString("2000::1/128");
    }

    @Test
    void mapsIpv4PrefixesIntoIpv6AsNfqlbFlowsAreWritten() {
        assertThat(Cidr.parse("40.0.0.0/24").get().toIpv6Mapped()).hasToString("::ffff:40.0.0.0/120");
    }

    @ParameterizedTest
    @ValueSource(strings = {"20.0.0.1/33", "2000::/129", "20.0.0.1/", "20.0.0.1/-1", "x/24", "20.0.0.1/2a"})
    void rejectsMalformedPrefixes(String text) {
        assertThat(Cidr.parse(text).getLeft()).startsWith("cidr=" + text).contains("expected");
    }
}
