package org.mwan4.probe.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

class IcmpEchoTest {
    private static final IpAddress TARGET = IpAddress.parse("203.0.113.10").orElseThrow();
    private static final IpAddress ROUTER = IpAddress.parse("192.0.2.1").orElseThrow();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // RFC 1071 section 3 example: words 0001 f203 f4f5 f6f7 sum to ddf2 (checksum 220d)
            "rfc1071 example, 0001f203f4f5f6f7, 220d",
            "odd length pads with zero, 01, feff",
            "all zero, 00000000, ffff"})
    void internetChecksum(String name, String hex, String expected) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(IcmpEcho.checksum(b, 0, b.length)).isEqualTo(Integer.parseInt(expected, 16));
    }

    @Test
    void v4RequestCarriesIdSeqCookieAndAValidChecksum() {
        byte[] r = IcmpEcho.request(Family.IPV4, 0xBEEF, 7, 0x0102030405060708L, 56);
        assertThat(r).hasSize(64);
        assertThat(r[0]).isEqualTo((byte) 8);
        assertThat(IcmpEcho.checksum(r, 0, r.length)).isZero();
        assertThat(HexFormat.of().formatHex(r, 4, 16)).isEqualTo("beef00070102030405060708");
    }

    @Test
    void v6RequestLeavesTheChecksumToTheKernel() {
        byte[] r = IcmpEcho.request(Family.IPV6, 1, 2, 3, 0);
        assertThat(r).hasSize(8);
        assertThat(r[0] & 0xFF).isEqualTo(128);
        assertThat(r[2]).isZero();
        assertThat(r[3]).isZero();
    }

    @Test
    void v4ReplyParsesBackFromAnIpPacket() {
        byte[] request = IcmpEcho.request(Family.IPV4, 0x1234, 99, 42L, 56);
        byte[] packet = ipv4(TARGET, ROUTER, IcmpEcho.replyTo(Family.IPV4, request));
        assertThat(IcmpEcho.parseReply(Family.IPV4, packet, packet.length, null))
                .contains(new IcmpEcho.Reply(TARGET, 0x1234, 99, 42L));
    }

    @Test
    void v6ReplyTakesItsSourceFromTheSocketAddress() {
        IpAddress v6 = IpAddress.parse("2001:db8:ff::10").orElseThrow();
        byte[] reply = IcmpEcho.replyTo(Family.IPV6, IcmpEcho.request(Family.IPV6, 5, 6, 77L, 16));
        assertThat(IcmpEcho.parseReply(Family.IPV6, reply, reply.length, v6)).contains(new IcmpEcho.Reply(v6, 5, 6, 77L));
    }

    @Test
    void requestsCorruptedPacketsAndTruncationsAreNotReplies() {
        byte[] request = IcmpEcho.request(Family.IPV4, 1, 1, 1L, 56);
        byte[] asRequest = ipv4(TARGET, ROUTER, request);
        assertThat(IcmpEcho.parseReply(Family.IPV4, asRequest, asRequest.length, null)).isEmpty();
        byte[] reply = ipv4(TARGET, ROUTER, IcmpEcho.replyTo(Family.IPV4, request));
        reply[30] ^= 1; // flip a payload bit: checksum fails
        assertThat(IcmpEcho.parseReply(Family.IPV4, reply, reply.length, null)).isEmpty();
        assertThat(IcmpEcho.parseReply(Family.IPV4, reply, 24, null)).isEmpty();
    }

    @Test
    void responderSideParsesTheRequestAndAnswersWithTheSamePayload() {
        byte[] request = IcmpEcho.request(Family.IPV4, 0xAB, 3, 9L, 32);
        byte[] packet = ipv4(ROUTER, TARGET, request);
        var parsed = IcmpEcho.parseRequestV4(packet, packet.length).orElseThrow();
        assertThat(parsed.source()).isEqualTo(ROUTER);
        assertThat(parsed.destination()).isEqualTo(TARGET);
        assertThat(parsed.id()).isEqualTo(0xAB);
        assertThat(parsed.seq()).isEqualTo(3);
        byte[] reply = IcmpEcho.replyTo(Family.IPV4, parsed.icmp());
        assertThat(reply[0]).isZero();
        assertThat(IcmpEcho.checksum(reply, 0, reply.length)).isZero();
        assertThat(java.util.Arrays.copyOfRange(reply, 4, reply.length)).isEqualTo(java.util.Arrays.copyOfRange(request, 4, request.length));
    }

    /** A minimal IPv4 header (20 bytes, protocol ICMP) in front of {@code icmp}. */
    static byte[] ipv4(IpAddress src, IpAddress dst, byte[] icmp) {
        byte[] p = new byte[20 + icmp.length];
        p[0] = 0x45;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(src.bytes(), 0, p, 12, 4);
        System.arraycopy(dst.bytes(), 0, p, 16, 4);
        System.arraycopy(icmp, 0, p, 20, icmp.length);
        return p;
    }
}
