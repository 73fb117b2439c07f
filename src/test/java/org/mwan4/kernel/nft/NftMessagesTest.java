package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.kernel.nft.NftNotification.Change;
import org.mwan4.kernel.nft.NftNotification.Generation;
import org.mwan4.kernel.nft.NftNotification.Kind;

class NftMessagesTest {

    static Stream<Change> changes() {
        return Stream.of(
                new Change(Kind.NEW_TABLE, "inet", "fw4", "fw4"),
                new Change(Kind.DEL_TABLE, "inet", "fw4", "fw4"),
                new Change(Kind.NEW_CHAIN, "inet", "fw4", "mwan4_prerouting"),
                new Change(Kind.DEL_CHAIN, "inet", "fw4", "mwan4_strategy_balanced_ipv4"),
                new Change(Kind.NEW_RULE, "ip", "filter", "input"),
                new Change(Kind.DEL_RULE, "inet", "fw4", "mwan4_ifaces_in"),
                new Change(Kind.NEW_SET, "ip6", "t", "mwan4_connected_ipv6"),
                new Change(Kind.DEL_SET, "inet", "fw4", "mwan4_connected_ipv4"),
                new Change(Kind.NEW_SETELEM, "bridge", "b", "s"),
                new Change(Kind.DEL_SETELEM, "netdev", "fw4", "mwan4_dynamic_ipv4"),
                new Change(Kind.DEL_CHAIN, "inet", "fw4", "ümlaut_chain_with_a_long_name_xx"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changeRoundTrips(Change c) {
        assertThat(NftMessages.decode(ByteBuffer.wrap(NftMessages.encode(c, 7)))).containsExactly(c);
    }

    @Test
    void generationRoundTrips() {
        Generation g = new Generation(4_000_000_000L, 4242, "java");
        assertThat(NftMessages.decode(ByteBuffer.wrap(NftMessages.encode(g, 1)))).containsExactly(g);
    }

    @Test
    void severalMessagesInOneDatagramComeOutInOrder() {
        Change a = new Change(Kind.DEL_RULE, "inet", "fw4", "mwan4_x");
        Change b = new Change(Kind.DEL_CHAIN, "inet", "fw4", "mwan4_x");
        Generation g = new Generation(9, 100, "nft");
        byte[] all = concat(NftMessages.encode(a, 1), NftMessages.encode(b, 2), NftMessages.encode(g, 3));
        assertThat(NftMessages.decode(ByteBuffer.wrap(all))).containsExactly(a, b, g);
    }

    /** Datagrams recorded from kernel 6.18 (x86_64, little-endian headers) with {@code nft} changing a namespace. */
    static Stream<Arguments> recorded() {
        return Stream.of(
                Arguments.of("add rule + add set + add element, one datagram",
                        "64000000060a000c01000000493800000100000308000100667734000c0002006d77616e345f78000c000300000000000000"
                                + "0002300004002c0001000c000100636f756e746572001c0002000c00010000000000000000000c0002000000000000000000"
                                + "74000000090a000402000000493800000100000308000100667734000c0002006d77616e345f73000c001000000000000000"
                                + "0003080004000000000708000500000000040a000d0000040200000000000400090017001300307866666666666666663832"
                                + "353038663430000008001400000000013c0000000c0a000400000000493800000100000308000100667734000c0002006d77"
                                + "616e345f730014000300100001000c00010008000100c0000201",
                        List.of(new Change(Kind.NEW_RULE, "inet", "fw4", "mwan4_x"),
                                new Change(Kind.NEW_SET, "inet", "fw4", "mwan4_s"),
                                new Change(Kind.NEW_SETELEM, "inet", "fw4", "mwan4_s"))),
                Arguments.of("new generation by nft",
                        "2c0000000f0a000001000000493800000000000308000100000000030800020000003849080003006e667400",
                        List.of(new Generation(3, 14409, "nft"))),
                Arguments.of("nft delete chain of a chain with one rule",
                        "64000000080a0000010000004a3800000100000408000100667734000c0002006d77616e345f78000c000300000000000000"
                                + "0002300004002c0001000c000100636f756e746572001c0002000c00010000000000000000000c0002000000000000000000"
                                + "34000000050a0000010000004a3800000100000408000100667734000c0003006d77616e345f78000c000200000000000000"
                                + "0001",
                        List.of(new Change(Kind.DEL_RULE, "inet", "fw4", "mwan4_x"),
                                new Change(Kind.DEL_CHAIN, "inet", "fw4", "mwan4_x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void decodesRecordedKernelBytes(String name, String hex, List<NftNotification> expected) {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures were recorded on a little-endian host");
        assertThat(NftMessages.decode(ByteBuffer.wrap(HexFormat.of().parseHex(hex)))).containsExactlyElementsOf(expected);
    }

    @Test
    void truncatedOrGarbageInputNeverThrows() {
        byte[] good = NftMessages.encode(new Change(Kind.DEL_CHAIN, "inet", "fw4", "mwan4_x"), 1);
        for (int cut = 0; cut < good.length; cut++) {
            assertThat(NftMessages.decode(ByteBuffer.wrap(Arrays.copyOf(good, cut)))).isEmpty();
        }
        byte[] noise = new byte[300];
        new java.util.Random(42).nextBytes(noise);
        NftMessages.decode(ByteBuffer.wrap(noise));
        // a message whose attribute claims more than the message holds keeps what it could read
        byte[] bad = good.clone();
        bad[20] = (byte) 0xff;
        assertThat(NftMessages.decode(ByteBuffer.wrap(bad))).isEmpty();
    }

    @Test
    void overrunMessageIsReported() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putInt(16).putShort((short) 4).putShort((short) 0).putInt(0).putInt(0); // NLMSG_OVERRUN, linux/netlink.h
        assertThat(NftMessages.decode(b.flip())).containsExactly(new NftNotification.Overrun());
    }

    @Test
    void destroyMessagesOfNewerKernelsCountAsDeletes() {
        byte[] del = NftMessages.encode(new Change(Kind.DEL_SET, "inet", "fw4", "mwan4_s"), 1);
        ByteBuffer b = ByteBuffer.wrap(del).order(ByteOrder.nativeOrder());
        b.putShort(4, (short) (10 << 8 | 29)); // NFT_MSG_DESTROYSET, upstream nf_tables.h
        assertThat(NftMessages.decode(b)).containsExactly(new Change(Kind.DEL_SET, "inet", "fw4", "mwan4_s"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("removals")
    void removesOursOnlyForDeletionsOfOurNamesInOurTable(Change c, boolean expected) {
        assertThat(c.removesOurs("inet", "fw4", "mwan4_")).isEqualTo(expected);
    }

    static Stream<Arguments> removals() {
        return Stream.of(
                Arguments.of(new Change(Kind.DEL_TABLE, "inet", "fw4", "fw4"), true),
                Arguments.of(new Change(Kind.DEL_RULE, "inet", "fw4", "mwan4_prerouting"), true),
                Arguments.of(new Change(Kind.DEL_CHAIN, "inet", "fw4", "mwan4_x"), true),
                Arguments.of(new Change(Kind.DEL_SETELEM, "inet", "fw4", "mwan4_connected_ipv4"), true),
                Arguments.of(new Change(Kind.DEL_RULE, "inet", "fw4", "input"), false),
                Arguments.of(new Change(Kind.DEL_TABLE, "ip", "fw4", "fw4"), false),
                Arguments.of(new Change(Kind.NEW_CHAIN, "inet", "fw4", "mwan4_x"), false));
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
