package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.Op;

/** The strategy-chain vocabulary: what parses, what does not, and the bytes against what nft itself sends. */
class ChainRuleCodecTest {
    private static final String CHAIN = "mwan4_strategy_balanced_ipv4";
    private static final String RULE_3_4 = "meta mark & 0x00003f00 == 0x00000000 numgen random mod 4 0-2 meta mark set meta mark"
            + " & 0xffffc1ff | 0x00000100 comment \"wan 3 4\"";
    /**
     * nft 1.0.6's NFT_MSG_NEWRULE for {@link #RULE_3_4} after the nlmsghdr (nfgenmsg, attributes), from
     * {@code nft --debug=mnl -f} of {@code add rule inet fw4 mwan4_strategy_balanced_ipv4 ...} (x86-64, host order).
     */
    private static final String NFT_BYTES = "010000000800010066773400210002006d77616e345f73747261746567795f62616c616e6365645f6970"
            + "763400000000000204802400018009000100" + "6d6574610000000014000280080002000000000308000100000000014c0001800c0001006269"
            + "7477697365003c00028008000100000000010800020000000001080006000000000008000300000000040c00048008000100003f0000"
            + "0c00058008000100000000002c00018008000100636d700020000280080001000000000108000200000000000c000380080001000000"
            + "0000340001800b0001006e756d67656e00002400028008000100000000010800020000000004080003000000000108000400000000"
            + "00400001800e000100627974656f726465720000002c000280080001000000000108000200000000010800030000000001080004000000"
            + "000408000500000000042c00018008000100636d700020000280080001000000000108000200000000050c0003800800010000000000"
            + "2c00018008000100636d700020000280080001000000000108000200000000030c000380080001000000000224000180090001006d65"
            + "74610000000014000280080002000000000308000100000000014c0001800c00010062697477697365003c0002800800010000000001"
            + "0800020000000001080006000000000008000300000000040c00048008000100ffc0ffff0c000580080001000001000024000180090001"
            + "006d6574610000000014000280080002000000000308000300000000010e000700000877616e20332034000000";

    @Test
    void newRuleIsByteForByteWhatNftSends() {
        ChainRuleCodec.Batch batch = ChainRuleCodec.encode(List.of(new NftChain(CHAIN, null, List.of(RULE_3_4))), 7);
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        List<Integer> flags = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(batch.bytes()).order(ByteOrder.nativeOrder());
        for (int pos = 0; pos < batch.bytes().length; ) {
            int len = b.getInt(pos);
            types.add(b.getShort(pos + 4) & 0xffff);
            flags.add(b.getShort(pos + 6) & 0xffff);
            byte[] body = new byte[len - NlHeader.SIZE];
            b.get(pos + NlHeader.SIZE, body);
            bodies.add(body);
            pos += NlHeader.align(len);
        }
        // BATCH_BEGIN, DELRULE (flush chain), NEWRULE, BATCH_END
        assertThat(types).containsExactly(0x10, 10 << 8 | 8, 10 << 8 | 6, 0x11);
        assertThat(flags.get(1)).isEqualTo(NlHeader.NLM_F_REQUEST | NlHeader.NLM_F_ACK);
        assertThat(flags.get(2)).isEqualTo(NlHeader.NLM_F_REQUEST | NlHeader.NLM_F_ACK | NlHeader.NLM_F_CREATE | 0x800);
        assertThat(HexFormat.of().formatHex(bodies.get(1))).isEqualTo(NFT_BYTES.substring(0, 2 * 48)); // nfgenmsg, table, chain
        assertThat(HexFormat.of().formatHex(bodies.get(2))).isEqualTo(NFT_BYTES);
        assertThat(batch.beginSeq()).isEqualTo(7);
        assertThat(batch.messages()).extracting(ChainRuleCodec.RuleMessage::seq).containsExactly(8, 9);
        assertThat(batch.endSeq()).isEqualTo(10);
    }

    /** Rules of every shape the planner writes into strategy chains: parsed, and printed back unchanged. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        RULE_3_4,
        "meta mark & 0x00003f00 == 0x00000000 numgen random mod 2 0 meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan 1 2\"",
        "meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb 1 1\"",
        "meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark | 0x00003f00 comment \"default\"",
        "meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xfffffdff | 0x00003d00 comment \"blackhole\"",
        "meta mark & 0x0000ff00 == 0x00000000 numgen random mod 2 0 meta mark set meta mark & 0xffff01ff | 0x00000100 comment \"wan 1 2\"",
        "meta mark & 0x00003f00 == 0x00000000 oifname \"eth0\" meta mark set meta mark | 0x00003f00 comment \"out wan eth0\"",
        "meta mark & 0x00003f00 == 0x00000000 numgen random mod 3 1 meta mark set meta mark & 0xffffc3ff | 0x00000300",
        "meta mark set meta mark | 0x00000100",
    })
    void vocabularyRoundTrips(String rule) {
        assertThat(ChainRule.parse(rule)).hasValueSatisfying(r -> assertThat(r.text()).isEqualTo(rule));
    }

    /** Anything else goes through nft: other statements, other spellings of the same thing, values nft would print otherwise. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "",
        "meta mark & 0x00003f00 == 0x00000000 jump mwan4_strategy_balanced_ipv4",
        "meta mark & 0x00003f00 == 0x00000000 numgen random mod 4 < 3 meta mark set meta mark & 0xffffc1ff | 0x00000100",
        "meta mark & 0x3f00 == 0x0 meta mark set meta mark | 0x00003f00",
        "meta mark & 0x00003F00 == 0x00000000 meta mark set meta mark | 0x00003f00",
        "meta mark & 0x00003f00 == 0x00000100 meta mark set meta mark & 0xffffc0ff | 0x00000100",  // or outside and
        "meta mark & 0x00003f00 == 0x00004000 meta mark set meta mark | 0x00000100",                // value outside mask
        "meta mark set meta mark & 0xffffffff | 0x00000100",                                        // nft prints "| 0x..."
        "meta mark set meta mark | 0x00000000",
        "numgen random mod 4 2-1 meta mark set meta mark | 0x00000100",
        "numgen random mod 4 0-4 meta mark set meta mark | 0x00000100",
        "oifname \"eth*\" meta mark set meta mark | 0x00000100",
        "oifname \"a-name-that-is-too-long\" meta mark set meta mark | 0x00000100",
        "meta mark set meta mark | 0x00000100 counter",
        "meta mark set meta mark | 0x00000100 comment \"quote \\\" inside\"",
        "meta mark set meta mark | 0x00000100  comment \"two spaces\"",
    })
    void everythingElseIsNotEncodable(String rule) {
        assertThat(ChainRule.parse(rule)).isEmpty();
    }

    @Test
    void aStepIsDirectOnlyWhenEveryOpIsAnEncodableRewrite() {
        NftChain good = new NftChain(CHAIN, null, List.of(RULE_3_4));
        NftChain empty = new NftChain("mwan4_strategy_wan_only_ipv4", null, List.of());
        NftChain other = new NftChain("mwan4_prerouting", null, List.of("meta mark & 0x00003f00 == 0x00000000 jump mwan4_x"));
        assertThat(ChainRuleCodec.rewrites(List.of(new Op.ReplaceChain(good), new Op.ReplaceChain(empty))))
                .hasValue(List.of(good, empty));
        assertThat(ChainRuleCodec.rewrites(List.of(new Op.ReplaceChain(good), new Op.ReplaceChain(other)))).isEmpty();
        assertThat(ChainRuleCodec.rewrites(List.of(new Op.ReplaceChain(good), new Op.DeleteChain("mwan4_x")))).isEmpty();
        assertThat(ChainRuleCodec.rewrites(List.of(new Op.AddChain(good)))).isEmpty();
        assertThat(ChainRuleCodec.rewrites(List.of())).isEmpty();
    }
}
