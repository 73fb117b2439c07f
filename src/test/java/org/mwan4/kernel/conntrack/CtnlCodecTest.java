package org.mwan4.kernel.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.netlink.NlCodec;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.kernel.netlink.NlMessage;
import org.mwan4.kernel.netlink.NlPayload;

/** ctnetlink entries survive encode then decode; requests have the kernel's layout. */
class CtnlCodecTest {
    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static Stream<Arguments> entries() {
        return Stream.of(
                Arguments.of("udp", new ConntrackEntry(Family.IPV4, CtTuple.ports(ip("192.0.2.1"), ip("192.0.2.2"), 17, 1000, 53), 0x100, 12345, 0)),
                Arguments.of("tcp with a high mark and id", new ConntrackEntry(Family.IPV4,
                        CtTuple.ports(ip("198.51.100.7"), ip("203.0.113.9"), 6, 65535, 443), 0xFFFF3F00, 0xFEDCBA98, 0)),
                Arguments.of("icmp echo", new ConntrackEntry(Family.IPV4, CtTuple.icmp(ip("192.0.2.1"), ip("192.0.2.2"), 1, 77, 8, 0), 0x200, 1, 0)),
                Arguments.of("ipv6 udp in zone 5", new ConntrackEntry(Family.IPV6,
                        CtTuple.ports(ip("2001:db8::1"), ip("2001:db8::2"), 17, 5353, 5353), 0x300, 9, 5)),
                Arguments.of("ipv6 icmp", new ConntrackEntry(Family.IPV6, CtTuple.icmp(ip("2001:db8::1"), ip("2001:db8::2"), 58, 4, 128, 0), 0x100, 2, 0)),
                Arguments.of("gre (ports hold keys)", new ConntrackEntry(Family.IPV4, CtTuple.ports(ip("192.0.2.1"), ip("192.0.2.2"), 47, 7, 8), 0x100, 3, 0)),
                Arguments.of("other protocol (no l4 fields)", new ConntrackEntry(Family.IPV4,
                        new CtTuple(ip("192.0.2.1"), ip("192.0.2.2"), 50, 0, 0, 0, 0, 0), 0x100, 4, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void entryRoundTrip(String name, ConntrackEntry e) {
        NlMessage m = CtnlCodec.entryMessage(new NlHeader(CtnlCodec.CT_NEW, NlHeader.NLM_F_MULTI, 5, 99), e);
        byte[] bytes = NlCodec.encode(m);
        NlMessage back = NlCodec.decode(bytes, 0, bytes.length, NlCodec.Dialect.RAW).getFirst();
        assertThat(back).isEqualTo(m);
        assertThat(CtnlCodec.entry(back)).contains(e);
    }

    @Test
    void filteredDumpRequestLayout() {
        NlMessage m = CtnlCodec.dumpMarked(3, Family.IPV4, 0x100, 0x3f00);
        assertThat(HexFormat.of().formatHex(NlCodec.encode(m))).isEqualTo(
                "24000000" + "0101" + "0103" + "03000000" + "00000000"  // len 36, IPCTNL_MSG_CT_GET, REQUEST|DUMP, seq 3
                + "02000000"                                            // nfgenmsg: AF_INET, v0, res_id 0
                + "08000800" + "00000100"                               // CTA_MARK 0x100, big-endian
                + "08001500" + "00003f00");                             // CTA_MARK_MASK 0x3f00
    }

    @Test
    void deleteNamesTupleIdAndZone() {
        ConntrackEntry e = new ConntrackEntry(Family.IPV6, CtTuple.ports(ip("2001:db8::1"), ip("2001:db8::2"), 17, 5353, 53), 0x100, 42, 7);
        NlMessage d = CtnlCodec.delete(11, e);
        assertThat(d.header()).isEqualTo(new NlHeader(CtnlCodec.CT_DELETE, NlHeader.NLM_F_REQUEST | NlHeader.NLM_F_ACK, 11, 0));
        assertThat(CtnlCodec.entry(d)).contains(e);
    }

    @Test
    void otherMessagesAndBrokenBytesAreNoEntry() {
        assertThat(CtnlCodec.entry(new NlMessage(new NlHeader(3, 2, 1, 0), new NlPayload.Done(0)))).isEqualTo(Optional.empty());
        assertThat(CtnlCodec.entry(new NlMessage(new NlHeader(CtnlCodec.CT_NEW, 0, 1, 0), new NlPayload.Raw(new byte[] {2, 0})))).isEmpty();
        assertThat(CtnlCodec.entry(new NlMessage(new NlHeader(CtnlCodec.CT_NEW, 0, 1, 0),
                new NlPayload.Raw(new byte[] {2, 0, 0, 0, 8, 0, 8, 0, 0, 0, 1, 0})))).as("no tuple").isEmpty();
        assertThat(CtnlCodec.entry(new NlMessage(new NlHeader(CtnlCodec.CT_NEW, 0, 1, 0),
                new NlPayload.Raw(new byte[] {7, 0, 0, 0})))).as("bridge family").isEmpty();
    }
}
