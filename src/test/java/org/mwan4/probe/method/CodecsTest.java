package org.mwan4.probe.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.probe.net.MacAddress;

/** ARP, DNS, HTTP status line and socket filter encodings. */
class CodecsTest {
    private static final IpAddress A = IpAddress.parse("192.0.2.1").orElseThrow();
    private static final IpAddress B = IpAddress.parse("192.0.2.2").orElseThrow();

    @Test
    void arpRequestRoundTripsAndHasTheRfc826Layout() {
        ArpPacket.Message m = ArpPacket.request(MacAddress.parse("02:00:5e:00:53:01"), A, B);
        byte[] b = ArpPacket.encode(m);
        assertThat(b).hasSize(28).startsWith(0, 1, 8, 0, 6, 4, 0, 1);
        assertThat(ArpPacket.decode(b, b.length)).contains(m);
        assertThat(ArpPacket.decode(b, 27)).isEmpty();
    }

    @Test
    void arpReplyRoundTrips() {
        ArpPacket.Message m = new ArpPacket.Message(ArpPacket.REPLY, MacAddress.parse("02:00:5e:00:53:02"), B,
                MacAddress.parse("02:00:5e:00:53:01"), A);
        assertThat(ArpPacket.decode(ArpPacket.encode(m), 28)).contains(m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"probe.example, 1", "www.openwrt.org., 28", "localhost, 1"})
    void dnsQueryParsesBackAsItsOwnQuestion(String name, int type) {
        byte[] q = DnsMessage.query(0x4242, name, type);
        DnsMessage.Response r = DnsMessage.parse(q, q.length).orElseThrow();
        assertThat(r.id()).isEqualTo(0x4242);
        assertThat(r.isResponse()).isFalse();
        assertThat(r.question()).isEqualTo(new DnsMessage.Question(name.replaceAll("\\.$", ""), type));
    }

    @Test
    void dnsAnswerIsAResponseToTheSameQuestion() {
        byte[] q = DnsMessage.query(7, "probe.example", DnsMessage.TYPE_A);
        byte[] a = DnsMessage.answer(q, q.length, B, 60);
        DnsMessage.Response r = DnsMessage.parse(a, a.length).orElseThrow();
        assertThat(r).isEqualTo(new DnsMessage.Response(7, true, 0, new DnsMessage.Question("probe.example", 1), 1));
        assertThat(java.util.Arrays.copyOfRange(a, a.length - 4, a.length)).isEqualTo(B.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"empty label, a..b", "label too long, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", "not ascii, bücher.example"})
    void badDnsNamesAreRefusedWithTheReason(String why, String name) {
        assertThatThrownBy(() -> DnsMessage.query(1, name, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }

    @Test
    void truncatedDnsIsNothing() {
        byte[] q = DnsMessage.query(1, "probe.example", 1);
        assertThat(DnsMessage.parse(q, q.length - 3)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { // ~ stands for CR LF
            "ok|HTTP/1.1 200 OK~|200",
            "no reason phrase|HTTP/1.0 404~|404",
            "redirect|HTTP/1.1 301 Moved Permanently~Location: /x~|301",
            "incomplete line|HTTP/1.1 200 O|-1",
            "not http|SSH-2.0-OpenSSH_9.6~|-1",
            "bad code|HTTP/1.1 2x0 OK~|-1"})
    void httpStatusLine(String name, String text, int code) {
        byte[] b = text.replace("~", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        OptionalInt got = HttpStatusLine.parse(b, b.length);
        assertThat(got.isPresent() ? got.getAsInt() : -1).isEqualTo(code);
    }

    @Test
    void typeFiltersPassOnlyEchoReplies() {
        int v4 = ByteBuffer.wrap(IcmpSocketFilter.echoReplyOnlyV4()).order(ByteOrder.nativeOrder()).getInt();
        assertThat(v4 & 1).as("type 0 passes").isZero();
        assertThat(v4 | 1).as("all others blocked").isEqualTo(-1);
        ByteBuffer v6 = ByteBuffer.wrap(IcmpSocketFilter.echoReplyOnlyV6()).order(ByteOrder.nativeOrder());
        for (int type = 0; type < 256; type++) {
            boolean blocked = (v6.getInt((type >> 5) * 4) & (1 << (type & 31))) != 0;
            assertThat(blocked).as("type " + type).isEqualTo(type != 129);
        }
    }
}
