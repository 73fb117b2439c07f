package org.mwan4.probe.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.IpAddress;

class SockAddrTest {

    record Case(String name, SockAddr addr, int bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("ipv4 with port", SockAddr.Inet.of(IpAddress.parse("192.0.2.1").orElseThrow(), 53), 16),
                new Case("ipv4 any", SockAddr.Inet.of(IpAddress.parse("0.0.0.0").orElseThrow(), 0), 16),
                new Case("ipv6 with scope", new SockAddr.Inet(IpAddress.parse("2001:db8::1").orElseThrow(), 443, 7), 28),
                new Case("packet broadcast", SockAddr.Link.broadcast(0x0806, 3), 20),
                new Case("packet unicast", new SockAddr.Link(0x0800, 12, 1, 0, MacAddress.parse("02:00:5e:00:53:01")), 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesToKernelSizeAndDecodesBack(Case c) {
        byte[] b = c.addr().encode();
        assertThat(b).hasSize(c.bytes());
        assertThat(SockAddr.decode(b, b.length)).contains(c.addr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void truncatedBytesDecodeToNothing(Case c) {
        byte[] b = c.addr().encode();
        assertThat(SockAddr.decode(b, b.length - 1)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void portAndAddressAreBigEndianFamilyIsHostOrder() {
        byte[] b = SockAddr.Inet.of(IpAddress.parse("192.0.2.1").orElseThrow(), 0x1234).encode();
        assertThat(b).startsWith(2, 0, 0x12, 0x34, 192 - 256, 0, 2, 1); // AF_INET little-endian on x86_64
    }

    @org.junit.jupiter.api.Test
    void macAddressTextRoundTrips() {
        MacAddress m = MacAddress.parse("02:00:5e:00:53:ff");
        assertThat(m.toString()).isEqualTo("02:00:5e:00:53:ff");
        assertThat(MacAddress.of(m.bytes(), 0)).isEqualTo(m);
    }
}
