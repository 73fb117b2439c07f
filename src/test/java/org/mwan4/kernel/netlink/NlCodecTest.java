package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.IpAddress;

/** Every message kind survives encode then decode unchanged; broken bytes never throw. */
class NlCodecTest {
    static final int MULTI = NlHeader.NLM_F_MULTI;

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static NlMessage msg(int type, int flags, NlPayload p) {
        return new NlMessage(new NlHeader(type, flags, 4711, 1234), p);
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("link with name, operstate, carrier", msg(LinkMessage.RTM_NEWLINK, MULTI,
                        new LinkMessage(0, 1, 3, LinkMessage.IFF_UP | LinkMessage.IFF_LOWER_UP, 0, "wan0", 6, 1))),
                Arguments.of("link name needing 3 pad bytes", msg(LinkMessage.RTM_NEWLINK, 0,
                        new LinkMessage(0, 1, 300, 0, 0xFFFFFFFF, "eth", 2, 0))),
                Arguments.of("link deleted, no attributes", msg(LinkMessage.RTM_DELLINK, 0,
                        new LinkMessage(0, 772, 1, 0, 0, null, null, null))),
                Arguments.of("link lookup by name", msg(LinkMessage.RTM_GETLINK, NlHeader.NLM_F_REQUEST | NlHeader.NLM_F_ACK,
                        LinkMessage.byName("lan-bridge.100"))),
                Arguments.of("ipv4 address with local and label", msg(AddressMessage.RTM_NEWADDR, 0,
                        new AddressMessage(2, 24, 0x80, 0, 4, ip("192.0.2.5"), ip("192.0.2.5"), "wan0:1"))),
                Arguments.of("ipv4 point-to-point address", msg(AddressMessage.RTM_NEWADDR, 0,
                        new AddressMessage(2, 32, 0, 0, 9, ip("198.51.100.1"), ip("203.0.113.7"), null))),
                Arguments.of("ipv6 address deleted", msg(AddressMessage.RTM_DELADDR, 0,
                        new AddressMessage(10, 64, 0, 253, 4, ip("fe80::1"), null, null))),
                Arguments.of("ipv4 default route via gateway", msg(RouteMessage.RTM_NEWROUTE, MULTI,
                        new RouteMessage(2, 0, 0, 0, 1, 4, 0, 1, 0, null, null, ip("192.0.2.1"), 3, 10, null))),
                Arguments.of("ipv4 link route with prefsrc in main", msg(RouteMessage.RTM_NEWROUTE, 0,
                        new RouteMessage(2, 24, 0, 0, 254, 2, 253, 1, 0, ip("192.0.2.0"), null, null, 3, 0, ip("192.0.2.5")))),
                Arguments.of("route in table 1000 (over 8 bits)", msg(RouteMessage.RTM_NEWROUTE, 0,
                        new RouteMessage(2, 32, 0, 0, 1000, 3, 0, 6, 0, ip("203.0.113.9"), null, null, 0, 0, null))),
                Arguments.of("ipv6 source route", msg(RouteMessage.RTM_DELROUTE, 0,
                        new RouteMessage(10, 48, 56, 0, 7, 4, 0, 1, 0, ip("2001:db8:1::"), ip("2001:db8:2::"), ip("fe80::1"), 5, 1024, ip("2001:db8::5")))),
                Arguments.of("ipv6 unreachable, cloned flag", msg(RouteMessage.RTM_NEWROUTE, 0,
                        new RouteMessage(10, 0, 0, 0, 2, 3, 0, 7, RouteMessage.RTM_F_CLONED, null, null, null, 1, 1024, null))),
                Arguments.of("route dump request", msg(RouteMessage.RTM_GETROUTE, NlHeader.NLM_F_REQUEST | NlHeader.NLM_F_DUMP,
                        new RouteMessage(10, 0, 0, 0, 5, 0, 0, 0, 0, null, null, null, 0, 0, null))),
                Arguments.of("rule fwmark lookup", msg(RuleMessage.RTM_NEWRULE, 0,
                        new RuleMessage(2, 0, 0, 0, 1, RuleMessage.FR_ACT_TO_TBL, 0, 2001, 0x100, 0x3f00, null, null, null, null, 0))),
                Arguments.of("rule iif lookup table 5000", msg(RuleMessage.RTM_NEWRULE, 0,
                        new RuleMessage(2, 0, 0, 0, 5000, RuleMessage.FR_ACT_TO_TBL, 0, 1001, 0, 0, "wan", null, null, null, 0))),
                Arguments.of("rule unreachable", msg(RuleMessage.RTM_DELRULE, 0,
                        new RuleMessage(10, 0, 0, 0, 0, RuleMessage.FR_ACT_UNREACHABLE, 0, 3001, 0x100, 0x3f00, null, null, null, null, 0))),
                Arguments.of("rule blackhole with selectors", msg(RuleMessage.RTM_NEWRULE, 0,
                        new RuleMessage(10, 32, 48, 0, 0, RuleMessage.FR_ACT_BLACKHOLE, 0, 2061, 0x3d00, 0x3f00, "lan", "wan6",
                                ip("2001:db8::"), ip("2001:db8:9::"), 4))),
                Arguments.of("rule with fwmask only", msg(RuleMessage.RTM_NEWRULE, 0,
                        new RuleMessage(2, 0, 0, 0, 254, RuleMessage.FR_ACT_TO_TBL, 0, 32766, 0, 0x3f00, null, null, null, null, 0))),
                Arguments.of("ack", msg(NlHeader.NLMSG_ERROR, NlHeader.NLM_F_CAPPED,
                        new NlPayload.Error(0, new NlHeader(RuleMessage.RTM_NEWRULE, 0x605, 77, 0), null))),
                Arguments.of("error with the kernel's text", msg(NlHeader.NLMSG_ERROR, NlHeader.NLM_F_CAPPED | NlHeader.NLM_F_ACK_TLVS,
                        new NlPayload.Error(-17, new NlHeader(RuleMessage.RTM_NEWRULE, 0x605, 78, 0), "rule exists"))),
                Arguments.of("done", msg(NlHeader.NLMSG_DONE, MULTI, new NlPayload.Done(0))),
                Arguments.of("done with error", msg(NlHeader.NLMSG_DONE, MULTI, new NlPayload.Done(-2))),
                Arguments.of("unknown kind stays raw (RTM_NEWNEIGH)", msg(28, 0, new NlPayload.Raw(new byte[] {10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 1}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void roundTrip(String name, NlMessage m) {
        byte[] bytes = NlCodec.encode(m);
        assertThat(bytes.length % 4).isZero();
        assertThat(NlCodec.decode(bytes)).containsExactly(m);
    }

    @Test
    void aMultipartDumpDecodesToAllItsMessagesInOrder() {
        List<NlMessage> all = messages().map(a -> (NlMessage) a.get()[1]).toList();
        assertThat(NlCodec.decode(NlCodec.encode(all))).containsExactlyElementsOf(all);
    }

    @Test
    void ruleLayoutMatchesTheKernelStructs() {
        // ip rule add pref 2001 fwmark 0x100/0x3f00 lookup 1, seq 7 (little-endian host)
        NlMessage m = new NlMessage(NlHeader.request(RuleMessage.RTM_NEWRULE, 0x604, 7),
                PlanMessages.rule(new org.mwan4.plan.IpRule(org.mwan4.config.Family.IPV4, 2001, "", 0x100, 0x3f00,
                        org.mwan4.plan.IpRule.Action.LOOKUP, 1)));
        assertThat(HexFormat.of().formatHex(NlCodec.encode(m))).isEqualTo(
                "3c000000" + "2000" + "0506" + "07000000" + "00000000"   // nlmsghdr: len 60, RTM_NEWRULE, REQUEST|ACK|EXCL|CREATE
                + "02000000" + "01000001" + "00000000"                   // fib_rule_hdr: AF_INET, table 1, action TO_TBL
                + "08000f00" + "01000000"                                // FRA_TABLE 1
                + "08000600" + "d1070000"                                // FRA_PRIORITY 2001
                + "08000a00" + "00010000"                                // FRA_FWMARK 0x100
                + "08001000" + "003f0000");                              // FRA_FWMASK 0x3f00
    }

    @Test
    void attributesArePaddedAndTheirLengthExcludesThePadding() {
        byte[] b = NlCodec.encode(msg(LinkMessage.RTM_NEWLINK, 0, new LinkMessage(0, 1, 2, 0, 0, "wan0", 6, null)));
        // ifinfomsg ends at 32; IFLA_IFNAME "wan0\0" has nla_len 9 and takes 12 bytes; IFLA_OPERSTATE follows at 44
        assertThat(b[32]).isEqualTo((byte) 9);
        assertThat(b[44]).isEqualTo((byte) 5);
        assertThat(b[46]).isEqualTo((byte) LinkMessage.IFLA_OPERSTATE);
        assertThat(b.length).isEqualTo(52);
    }

    @Test
    void anUncappedErrorSkipsTheEchoedRequestBeforeItsText() {
        // the kernel echoes the whole request when NETLINK_CAP_ACK is off: nlmsgerr, then 28 request bytes, then TLVs
        NlWriter w = new NlWriter();
        w.begin(new NlHeader(NlHeader.NLMSG_ERROR, NlHeader.NLM_F_ACK_TLVS, 9, 0));
        w.u32(-22).u32(28).u16(RuleMessage.RTM_NEWRULE).u16(5).u32(9).u32(0).bytes(new byte[12]);
        w.attrString(1, "Invalid table").end();
        assertThat(NlCodec.decode(w.toByteArray())).singleElement().extracting(NlMessage::payload)
                .isEqualTo(new NlPayload.Error(-22, new NlHeader(RuleMessage.RTM_NEWRULE, 5, 9, 0), "Invalid table"));
    }

    @Test
    void everyTruncationDecodesWithoutThrowingAndEndsMalformed() {
        byte[] all = NlCodec.encode(messages().map(a -> (NlMessage) a.get()[1]).toList());
        for (int len = 1; len < all.length; len++) {
            List<NlMessage> out = NlCodec.decode(all, 0, len, NlCodec.Dialect.ROUTE);
            assertThat(out).isNotEmpty();
            // a cut on a message boundary leaves whole messages; anywhere else the last entry says what broke
            boolean boundary = isBoundary(all, len);
            assertThat(out.getLast().payload() instanceof NlPayload.Malformed).as("cut at %d", len).isEqualTo(!boundary);
        }
    }

    @Test
    void structsShorterThanTheKernelsAreMalformedNotExceptions() {
        for (int type : new int[] {16, 20, 24, 32, 2}) {
            NlWriter w = new NlWriter().begin(new NlHeader(type, 0, 1, 0)).u32(0).end();
            assertThat(NlCodec.decode(w.toByteArray())).singleElement().extracting(NlMessage::payload)
                    .isInstanceOf(NlPayload.Malformed.class);
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            if (b.length >= 16 && r.nextBoolean()) {
                // plausible header so the bodies get exercised
                b[0] = (byte) b.length; b[1] = 0; b[2] = 0; b[3] = 0;
                b[4] = (byte) (16 + r.nextInt(20)); b[5] = 0;
            }
            assertThatCode(() -> NlCodec.decode(b, 0, b.length, NlCodec.Dialect.ROUTE)).doesNotThrowAnyException();
        }
    }

    @Test
    void attributeCursorStopsAtABrokenAttribute() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(new byte[] {8, 0, 1, 0, 1, 2, 3, 4, (byte) 200, 0, 2, 0}).order(java.nio.ByteOrder.nativeOrder());
        NlAttrs a = new NlAttrs(b, 0, 12);
        assertThat(a.next()).isTrue();
        assertThat(a.type()).isEqualTo(1);
        assertThat(a.next()).isFalse();
        assertThat(a.truncated()).isTrue();
    }

    private static boolean isBoundary(byte[] all, int len) {
        int pos = 0;
        List<Integer> ends = new ArrayList<>();
        while (pos < all.length) {
            int l = java.nio.ByteBuffer.wrap(all, pos, 4).order(java.nio.ByteOrder.nativeOrder()).getInt();
            pos += NlHeader.align(l);
            ends.add(pos);
        }
        return ends.contains(len);
    }

    @Test
    void rawPayloadsCompareByContent() {
        assertThat(new NlPayload.Raw(new byte[] {1, 2})).isEqualTo(new NlPayload.Raw(new byte[] {1, 2}));
        byte[] source = {1, 2};
        NlPayload.Raw raw = new NlPayload.Raw(source);
        source[0] = 9;
        assertThat(Arrays.equals(raw.bytes(), new byte[] {1, 2})).isTrue();
    }
}
