package io.statelesslb.domain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
            "172.16.0.4, 172.16.0.4",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "2000::1, 2000::1",
            "fd00:0:0:1::4, fd00:0:0:1::4",
            "FD00:0000:0000:0001:0000:0000:0000:0004, fd00:0:0:1::4",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "::ffff:20.0.0.1, ::ffff:20.0.0.1",
            "100:100::150, 100:100::150",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304"})
    void parsesAndFormatsCanonically(String text, String canonical) {
        assertThat(IpAddress.parse(text).get()).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4 ", "a.b.c.d", "1::2::3",
            ":1:2", "1:2:3:4:5:6:7:8:9", "12345::", "1:2:3:4:5:6:7::8", "::1.2.3", "fd00::g", "1:2:3:4:5:6:7:",
            "localhost"})
    void rejectsMalformedAddressesNamingThem(String text) {
        assertThat(IpAddress.parse(text).getLeft()).contains("address=" + text).contains("expected");
    }

    @Property(tries = 2000, seed = "20261126")
    void ipv6TextRoundTrips(@ForAll long high, @ForAll long low) {
        IpAddress address = IpAddress.ipv6(high, low);
        assertThat(IpAddress.parse(address.toString()).get()).isEqualTo(address);
    }

    @Property(tries = 1000, seed = "20261126")
    void ipv4TextRoundTrips(@ForAll int bits) {
        IpAddress address = IpAddress.ipv4(bits);
        assertThat(IpAddress.parse(address.toString()).get()).isEqualTo(address);
    }

    @Property(tries = 500, seed = "20261126")
    void sparseIpv6TextRoundTrips(@ForAll short a, @ForAll short b, @ForAll byte zeros) {
        // Addresses with long zero runs exercise the :: compression rules.
        long high = ((a & 0xFFFFL) << 48) | ((zeros & 1) == 0 ? 0 : (b & 0xFFFFL));
        long low = (zeros & 2) == 0 ? 0 : (b & 0xFFFFL) << 16;
        IpAddress address = IpAddress.ipv6(high, low);
        assertThat(IpAddress.parse(address.toString()).get()).isEqualTo(address);
    }

    @org.junit.jupiter.api.Test
    void ipv4MapsIntoIpv6AsNfqlbKeysDo() {
        assertThat(IpAddress.parse("20.0.0.1").get().toIpv6Mapped()).hasToString("::ffff:20.0.0.1");
    }

    @org.junit.jupiter.api.Test
    void ordersByFamilyThenUnsignedValue() {
        IpAddress low = IpAddress.parse("1.0.0.0").get();
        IpAddress high = IpAddress.parse("200.0.0.0").get();
        IpAddress v6 = IpAddress.parse("::").get();
        IpAddress v6High = IpAddress.parse("ffff::").get();
        assertThat(low).isLessThan(high);
        assertThat(high).isLessThan(v6);
        assertThat(v6).isLessThan(v6High);
    }

    @org.junit.jupiter.api.Test
    void theKernelsNetworkOrderBytesReadBackIntoTheSameAddress() {
        IpAddress v4 = IpAddress.parse("200.1.2.254").get();
        IpAddress v6 = IpAddress.parse("fd00:0:0:1::ff08").get();
        assertThat(v4.bytes()).containsExactly(200, 1, 2, 254);
        assertThat(v6.bytes()).hasSize(16).startsWith(0xfd, 0x00).endsWith(0xff, 0x08);
        assertThat(IpAddress.fromBytes(v4.bytes())).isEqualTo(v4);
        assertThat(IpAddress.fromBytes(v6.bytes())).isEqualTo(v6);
        assertThatThrownBy(() -> IpAddress.fromBytes(new byte[5]))
                .hasMessage("an address of 5 bytes (expected: 4 for IPv4, 16 for IPv6)");
    }
}
