package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;

class IcmpEchoTest {
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> echoes() {
        return Stream.of(
                Arguments.of("v4 request, empty payload", new IcmpEcho(Family.IPV4, true, 1, 0, new byte[0])),
                Arguments.of("v4 reply, odd payload", new IcmpEcho(Family.IPV4, false, 0xFFFF, 0xFFFF, new byte[] {1, 2, 3})),
                Arguments.of("v4 request, 56 bytes", new IcmpEcho(Family.IPV4, true, 0x1234, 7, new byte[56])),
                Arguments.of("v6 request", new IcmpEcho(Family.IPV6, true, 42, 9, "mwan4".getBytes())),
                Arguments.of("v6 reply", new IcmpEcho(Family.IPV6, false, 0, 65535, new byte[] {(byte) 0xFF})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("echoes")
    void roundTrips(String name, IcmpEcho echo) {
        byte[] wire = echo.encode();
        assertThat(IcmpEcho.decode(echo.family(), wire, 0, wire.length)).contains(echo);
        assertThat(echo.reply().request()).isFalse();
        assertThat(echo.reply().seq()).isEqualTo(echo.seq());
    }

    @Test
    void v4RequestHasTheBytesPingSends() {
        // type 8, code 0, checksum, id 0x1234, seq 1, payload "ab": 0x0800 + 0x1234 + 0x0001 + 0x6162 = 0x7b97, checksum = ~0x7b97 = 0x8468
        byte[] wire = new IcmpEcho(Family.IPV4, true, 0x1234, 1, "ab".getBytes()).encode();
        assertThat(HEX.formatHex(wire)).isEqualTo("0800846812340001" + "6162");
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is 220d
        assertThat(IcmpEcho.checksum(HEX.parseHex("0001f203f4f5f6f7"), 0, 8)).isEqualTo(0x220d);
    }

    @Test
    void v6LeavesTheChecksumToTheKernel() {
        byte[] wire = new IcmpEcho(Family.IPV6, true, 1, 2, new byte[4]).encode();
        assertThat(wire[0] & 0xFF).isEqualTo(128);
        assertThat(wire[2]).isZero();
        assertThat(wire[3]).isZero();
    }

    static Stream<Arguments> garbage() {
        byte[] good = new IcmpEcho(Family.IPV4, true, 1, 1, new byte[8]).encode();
        byte[] badSum = good.clone();
        badSum[9] ^= 1;
        byte[] unreachable = HEX.parseHex("0303fcfc00000000");
        byte[] badCode = new IcmpEcho(Family.IPV6, true, 1, 1, new byte[0]).encode();
        badCode[1] = 1;
        return Stream.of(
                Arguments.of("flipped payload bit", Family.IPV4, badSum),
                Arguments.of("destination unreachable", Family.IPV4, unreachable),
                Arguments.of("too short", Family.IPV4, new byte[] {8, 0, 0}),
                Arguments.of("v6 code not 0", Family.IPV6, badCode),
                Arguments.of("v6 neighbour solicitation", Family.IPV6, HEX.parseHex("8700000000000000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void rejectsWhatIsNotAnIntactEcho(String name, Family f, byte[] wire) {
        assertThat(IcmpEcho.decode(f, wire, 0, wire.length)).isEmpty();
    }

    @Test
    void ipv4PacketHeaderIsSkippedByItsLength() {
        byte[] icmp = new IcmpEcho(Family.IPV4, false, 7, 3, "x".getBytes()).encode();
        for (int ihl : new int[] {5, 6}) {
            byte[] packet = new byte[ihl * 4 + icmp.length];
            packet[0] = (byte) (0x40 | ihl);
            System.arraycopy(icmp, 0, packet, ihl * 4, icmp.length);
            assertThat(IcmpEcho.decodeIpv4Packet(packet, packet.length)).map(IcmpEcho::id).contains(7);
        }
        assertThat(IcmpEcho.decodeIpv4Packet(new byte[] {0x60, 0, 0}, 3)).isEmpty();
    }
}
