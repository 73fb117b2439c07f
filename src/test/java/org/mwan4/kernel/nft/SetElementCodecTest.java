package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mwan4.kernel.nft.NftFixtures.cidrs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.kernel.netlink.NlAttrs;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.kernel.netlink.NlWriter;
import org.mwan4.kernel.nft.SetElementCodec.Batch;
import org.mwan4.kernel.nft.SetElementCodec.ElementMessage;
import org.mwan4.kernel.nft.SetElementCodec.Placed;
import org.mwan4.kernel.nft.SetElementDecoder.Answer;
import org.mwan4.kernel.nft.SetElementDecoder.Message;

/** The element batch encoder against what nft 1.0.6 sends (captured by batches/capture.sh), and round trips. */
class SetElementCodecTest {
    private static final Family V4 = Family.IPV4;
    private static final Family V6 = Family.IPV6;

    static Stream<Arguments> capturedFromNft() {
        return Stream.of(
                Arguments.of("ipv4-add", SetElements.add("mwan4_connected_ipv4", V4,
                        cidrs("192.0.2.0/25", "192.0.2.128/25", "198.51.100.7", "224.0.0.0/3"))),
                Arguments.of("ipv4-delete", SetElements.delete("mwan4_connected_ipv4", V4, cidrs("192.0.2.128/25", "224.0.0.0/3"))),
                Arguments.of("ipv6-add", SetElements.add("mwan4_connected_ipv6", V6, cidrs("2001:db8::/48", "2001:db8:1::5", "ff00::/8"))),
                Arguments.of("ipv6-delete", SetElements.delete("mwan4_connected_ipv6", V6, cidrs("2001:db8:1::5", "ff00::/8"))),
                Arguments.of("ipv4-default", SetElements.add("mwan4_custom_ipv4", V4, cidrs("0.0.0.0/0"))),
                Arguments.of("ipv6-default", SetElements.add("mwan4_custom_ipv6", V6, cidrs("::/0"))),
                // nft adds the 0.0.0.0 end key ("first segment") when the set is empty; we never send it
                Arguments.of("ipv4-first-segment", SetElements.add("mwan4_custom_ipv4", V4, cidrs("192.0.2.0/24", "198.51.100.0/24"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedFromNft")
    void nftsBatchDecodesToTheChange(String fixture, SetElements change) throws IOException {
        assertThat(SetElementDecoder.changes(SetElementDecoder.messages(captured(fixture)))).containsExactly(change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedFromNft")
    void ourElementsAreTheBytesNftSends(String fixture, SetElements change) throws IOException {
        List<Message> nft = SetElementDecoder.messages(captured(fixture));
        Batch ours = SetElementCodec.encode(List.of(change), 100);
        List<Message> mine = SetElementDecoder.messages(ours.bytes());

        assertThat(mine.getFirst()).isEqualTo(new Message.Batch(true, 100, SetElementCodec.NFNL_SUBSYS_NFTABLES));
        assertThat(mine.getLast()).isEqualTo(new Message.Batch(false, 102, SetElementCodec.NFNL_SUBSYS_NFTABLES));
        assertThat(nft.getFirst()).isInstanceOf(Message.Batch.class);
        Message.Elements n = (Message.Elements) nft.get(1);
        Message.Elements m = (Message.Elements) mine.get(1);
        assertThat(m.flags()).isEqualTo(n.flags() | NlHeader.NLM_F_ACK); // nft waits for errors only; we want every verdict
        assertThat(List.of(m.add(), m.nfproto(), m.table(), m.set())).isEqualTo(List.of(n.add(), n.nfproto(), n.table(), n.set()));
        if (fixture.endsWith("first-segment")) {
            assertThat(n.bounds().getFirst()).isEqualTo(new IntervalBound(Cidr.parse("0.0.0.0").orElseThrow().address(), true, false));
            assertThat(m.bounds()).isEqualTo(n.bounds().subList(1, n.bounds().size()));
        } else {
            assertThat(HexFormat.of().formatHex(elementsAttribute(ours.bytes(), 1)))
                    .isEqualTo(HexFormat.of().formatHex(elementsAttribute(captured(fixture), 1)));
        }
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of("one host", List.of(SetElements.add("s", V4, cidrs("192.0.2.1")))),
                Arguments.of("adjacent prefixes stay apart", List.of(SetElements.add("s", V4, cidrs("192.0.2.0/25", "192.0.2.128/25")))),
                Arguments.of("last IPv4 address", List.of(SetElements.add("s", V4, cidrs("255.255.255.255", "0.0.0.0")))),
                Arguments.of("IPv4 default", List.of(SetElements.add("s", V4, cidrs("0.0.0.0/0")))),
                Arguments.of("IPv6 carry into the high half", List.of(SetElements.add("s", V6, cidrs("::ffff:ffff:ffff:ffff", "::1:0:0:0:0/64")))),
                Arguments.of("IPv6 ends", List.of(SetElements.add("s", V6, cidrs("::/0")),
                        SetElements.add("t", V6, cidrs("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ff00::/8", "::")))),
                Arguments.of("delete then add, two sets", List.of(
                        new SetElements("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24", "224.0.0.0/3"), cidrs("198.51.100.0/24")),
                        new SetElements("mwan4_connected_ipv6", V6, cidrs("2001:db8::/32"), cidrs("2001:db9::/32", "ff00::/8")))),
                Arguments.of("host bits are cleared", List.of(SetElements.add("s", V4, cidrs("192.0.2.0/24")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void decodingOurBatchGivesBackTheChanges(String name, List<SetElements> changes) {
        Batch b = SetElementCodec.encode(changes, 7);
        assertThat(SetElementDecoder.changes(SetElementDecoder.messages(b.bytes()))).isEqualTo(changes);
        assertThat(b.beginSeq()).isEqualTo(7);
        assertThat(b.endSeq()).isEqualTo(7 + b.messages().size() + 1);
    }

    @Test
    void hostBitsAreIgnored() {
        SetElements withHostBits = SetElements.add("s", V4, cidrs("192.0.2.77/24"));
        Batch b = SetElementCodec.encode(List.of(withHostBits), 1);
        assertThat(SetElementDecoder.changes(SetElementDecoder.messages(b.bytes())))
                .containsExactly(SetElements.add("s", V4, cidrs("192.0.2.0/24")));
    }

    @Test
    void manyPrefixesSplitIntoMessagesUnderTheAttributeLimit() {
        TreeSet<Cidr> many = new TreeSet<>(NftFixtures.manyPrefixes(5_000));
        SetElements change = SetElements.add("mwan4_connected_ipv6", V6, many);
        Batch b = SetElementCodec.encode(List.of(change), 1);

        assertThat(b.messages()).hasSizeGreaterThan(4);
        assertThat(b.prefixCount()).isEqualTo(5_000);
        for (int i = 0; i < b.messages().size(); i++) {
            assertThat(b.messages().get(i).seq()).isEqualTo(2 + i);
            assertThat(elementsAttribute(b.bytes(), i + 1).length).isLessThanOrEqualTo(SetElementCodec.MAX_ELEMENTS_ATTR);
        }
        assertThat(SetElementDecoder.changes(SetElementDecoder.messages(b.bytes()))).containsExactly(change);
    }

    @Test
    void everyPlacedOffsetPointsAtItsElementAttribute() {
        Batch b = SetElementCodec.encode(List.of(new SetElements("mwan4_connected_ipv4", V4,
                cidrs("192.0.2.0/24", "203.0.113.7", "224.0.0.0/3"), cidrs("198.51.100.0/25"))), 1);
        ByteBuffer buf = ByteBuffer.wrap(b.bytes()).order(ByteOrder.nativeOrder());
        List<Integer> starts = messageStarts(b.bytes());
        for (int m = 0; m < b.messages().size(); m++) {
            ElementMessage msg = b.messages().get(m);
            int start = starts.get(m + 1);
            for (int i = 0; i < msg.elements().size(); i++) {
                Placed p = msg.elements().get(i);
                assertThat(buf.getShort(start + p.offset() + 2) & 0xFFFF).isEqualTo((i + 1) | NlWriter.NLA_F_NESTED);
                assertThat(msg.at(p.offset())).isSameAs(p);
            }
            assertThat(msg.at(3)).isNull();
        }
        assertThat(b.messages().get(0).command()).isEqualTo("delete element inet fw4 mwan4_connected_ipv4 { 198.51.100.0/25 }");
        assertThat(b.messages().get(1).command()).isEqualTo("add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/24 ... 224.0.0.0/3 }");
        assertThat(b.messages().get(1).elements()).extracting(p -> p.bound().toString())
                .containsExactly("start 192.0.2.0", "end 192.0.3.0", "start 203.0.113.7", "end 203.0.113.8", "open start 224.0.0.0");
    }

    @Test
    void emptyChangesSendNoElementMessage() {
        Batch b = SetElementCodec.encode(List.of(SetElements.add("s", V4, new TreeSet<>())), 1);
        assertThat(b.messages()).isEmpty();
        assertThat(SetElementDecoder.messages(b.bytes())).containsExactly(
                new Message.Batch(true, 1, 10), new Message.Batch(false, 2, 10));
    }

    @Test
    void answersCarryTheirSeqErrorTextAndBadAttributeOffset() {
        NlWriter w = new NlWriter();
        // an ACK, capped (header only)
        w.begin(new NlHeader(NlHeader.NLMSG_ERROR, NlHeader.NLM_F_CAPPED, 5, 99)).u32(0)
         .u32(200).u16(0x0a0c).u16(5).u32(5).u32(0).end();
        // an error with ext-ack text and offset
        w.begin(new NlHeader(NlHeader.NLMSG_ERROR, NlHeader.NLM_F_CAPPED | NlHeader.NLM_F_ACK_TLVS, 6, 99)).u32(-17)
         .u32(300).u16(0x0a0c).u16(5).u32(6).u32(0).attrString(1, "overlap").attrU32(2, 72).end();
        byte[] bytes = w.toByteArray();
        assertThat(SetElementDecoder.answers(bytes, bytes.length)).containsExactly(
                new Answer(5, 0, null, -1), new Answer(6, -17, "overlap", 72));
    }

    @Test
    void brokenBytesNeverThrow() throws IOException {
        byte[] good = captured("ipv6-add");
        Random random = new Random(4);
        for (int i = 0; i < 2_000; i++) {
            byte[] bad = good.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            int cut = random.nextInt(bad.length + 1);
            byte[] cutBad = Arrays.copyOf(bad, cut);
            assertThatCode(() -> {
                SetElementDecoder.changes(SetElementDecoder.messages(bad));
                SetElementDecoder.changes(SetElementDecoder.messages(cutBad));
                SetElementDecoder.answers(cutBad, cutBad.length);
            }).doesNotThrowAnyException();
        }
        assertThat(SetElementDecoder.messages(new byte[] {1, 2, 3})).singleElement().isInstanceOf(Message.Malformed.class);
    }

    @Test
    void aPrefixOfTheOtherFamilyOrABadNameIsRefusedUpFront() {
        assertThatThrownBy(() -> SetElements.add("mwan4_connected_ipv4", V4, cidrs("2001:db8::/32")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2001:db8::/32 is ipv6 but set mwan4_connected_ipv4 holds ipv4");
        assertThatThrownBy(() -> SetElements.add(" ", V4, cidrs()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set name");
        assertThatThrownBy(() -> SetElements.add("x".repeat(256), V4, cidrs()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set name");
    }

    @Test
    void theTextFormIsNftsAddAndDeleteElementLines() {
        var script = SetElements.script(List.of(
                new SetElements("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24", "203.0.113.7"), cidrs("198.51.100.0/24")),
                SetElements.add("mwan4_custom_ipv4", V4, cidrs()),
                SetElements.delete("mwan4_custom_ipv6", V6, cidrs("2001:db8::/32"))));
        assertThat(script.text()).isEqualTo("""
                delete element inet fw4 mwan4_connected_ipv4 { 198.51.100.0/24 }
                add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/24, 203.0.113.7 }
                delete element inet fw4 mwan4_custom_ipv6 { 2001:db8::/32 }
                """);
        assertThat(script.opCount()).isEqualTo(3);
        assertThat(script.opAt(3)).isEqualTo(2);
    }

    /** The NFTA_SET_ELEM_LIST_ELEMENTS attribute (header included) of the {@code index}-th message of a batch. */
    static byte[] elementsAttribute(byte[] batch, int index) {
        ByteBuffer b = ByteBuffer.wrap(batch).order(ByteOrder.nativeOrder());
        int start = messageStarts(batch).get(index);
        int len = b.getInt(start);
        for (NlAttrs a = new NlAttrs(b, start + NlHeader.SIZE + 4, start + len); a.next(); ) {
            if (a.type() == SetElementCodec.NFTA_SET_ELEM_LIST_ELEMENTS) {
                byte[] whole = new byte[a.length() + 4];
                b.get(start + attributeOffset(b, start, len), whole);
                return whole;
            }
        }
        throw new AssertionError("message " + index + " has no elements attribute");
    }

    private static int attributeOffset(ByteBuffer b, int start, int len) {
        int pos = start + NlHeader.SIZE + 4;
        while (pos < start + len) {
            int alen = b.getShort(pos) & 0xFFFF;
            if ((b.getShort(pos + 2) & 0x3FFF) == SetElementCodec.NFTA_SET_ELEM_LIST_ELEMENTS) {
                return pos - start;
            }
            pos += NlHeader.align(alen);
        }
        throw new AssertionError("no elements attribute");
    }

    static List<Integer> messageStarts(byte[] batch) {
        ByteBuffer b = ByteBuffer.wrap(batch).order(ByteOrder.nativeOrder());
        List<Integer> out = new ArrayList<>();
        for (int pos = 0; pos < batch.length; pos += NlHeader.align(b.getInt(pos))) {
            out.add(pos);
        }
        return out;
    }

    static byte[] captured(String name) throws IOException {
        try (InputStream in = SetElementCodecTest.class.getResourceAsStream("batches/" + name + ".hex")) {
            if (in == null) {
                throw new AssertionError("missing fixture batches/" + name + ".hex");
            }
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }
}
