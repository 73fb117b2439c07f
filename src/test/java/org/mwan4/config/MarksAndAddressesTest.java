package org.mwan4.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MarksAndAddressesTest {

    @ParameterizedTest(name = "mask {0} id {1} -> {2}")
    @CsvSource({
        "0x3F00, 1, 0x100",
        "0x3F00, 5, 0x500",
        "0x3F00, 60, 0x3c00",
        "0xFF00, 254, 0xfe00",
        "0xF0F0, 0x13, 0x1030",
        "0x00070007, 9, 0x10001",
    })
    void id2maskDepositsBitsLowToHigh(String mask, String id, String mark) {
        assertThat(new Marks(Integer.decode(mask)).id2mask(Integer.decode(id))).isEqualTo(Integer.decode(mark));
    }

    @Test
    void reservedMarksFor3F00() {
        Marks m = new Marks(0x3F00);
        assertThat(m.defaultMark()).isEqualTo(0x3F00);
        assertThat(m.unreachableMark()).isEqualTo(0x3E00);
        assertThat(m.blackholeMark()).isEqualTo(0x3D00);
        assertThat(m.maxInterfaces()).isEqualTo(60);
        assertThatThrownBy(() -> m.interfaceMark(61)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "2001:db8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8:0000:0000:1:0:0:1, 2001:db8::1:0:0:1",
        "::, ::",
        "::1, ::1",
        "fe80::, fe80::",
        "2001:db8:1:0:0:1:0:0, 2001:db8:1::1:0:0",
    })
    void addressesPrintCanonically(String in, String out) {
        assertThat(IpAddress.parse(in)).hasValueSatisfying(a -> assertThat(a.toString()).isEqualTo(out));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource({"example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "2001:db8::g", "''", "1.2.3.4%eth0"})
    void nonLiteralsAreRejectedWithoutLookup(String in) {
        assertThat(IpAddress.parse(in)).isEmpty();
    }

    @Test
    void cidrMasksAndContains() {
        Cidr c = Cidr.parse("192.0.2.5/24").orElseThrow();
        assertThat(c.network().toString()).isEqualTo("192.0.2.0/24");
        assertThat(c.contains(IpAddress.parse("192.0.2.200").orElseThrow())).isTrue();
        assertThat(c.contains(IpAddress.parse("192.0.3.1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("2001:db8::1/32").orElseThrow().network().toString()).isEqualTo("2001:db8::/32");
        assertThat(Cidr.parse("198.51.100.7").orElseThrow().toString()).isEqualTo("198.51.100.7");
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    }
}
