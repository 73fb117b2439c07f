package org.mwan4.kernel.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.kernel.netlink.NlWriter;
import org.mwan4.kernel.nft.ChainRule.MarkMatch;
import org.mwan4.kernel.nft.ChainRule.MarkSet;
import org.mwan4.kernel.nft.ChainRule.NumgenIn;
import org.mwan4.kernel.nft.ChainRule.NumgenIs;
import org.mwan4.kernel.nft.ChainRule.OifName;
import org.mwan4.kernel.nft.ChainRule.Statement;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.Op;

/**
 * Encodes chain rewrites ({@code flush chain inet fw4 C} + {@code add rule inet fw4 C ...}) of {@link ChainRule}s
 * as one nf_tables transaction: the bytes nft 1.0.6 / libnftnl send for the same script, minus nft's cache
 * queries. Pure functions.
 * <pre>
 * nlmsghdr NFNL_MSG_BATCH_BEGIN
 * nlmsghdr NFT_MSG_DELRULE | nfgenmsg NFPROTO_INET | TABLE "fw4" CHAIN "mwan4_strategy_balanced_ipv4"   (no handle: every rule)
 * nlmsghdr NFT_MSG_NEWRULE | ... | TABLE CHAIN EXPRESSIONS { elem { NAME "meta" DATA { KEY MARK, DREG 1 } } ... } USERDATA
 * nlmsghdr NFNL_MSG_BATCH_END
 * </pre>
 * Expressions per statement, as {@code nft --debug=netlink} shows them:
 * <pre>
 * meta mark &amp; M == V     [ meta load mark =&gt; reg 1 ] [ bitwise reg 1 = ( reg 1 &amp; M ) ^ 0 ] [ cmp eq reg 1 V ]
 * numgen random mod N V    [ numgen reg 1 = random mod N ] [ cmp eq reg 1 V ]
 * numgen random mod N A-B  [ numgen ... ] [ byteorder reg 1 = hton(reg 1, 4, 4) ] [ cmp gte reg 1 A ] [ cmp lte reg 1 B ]  (A, B big endian)
 * oifname "X"              [ meta load oifname =&gt; reg 1 ] [ cmp eq reg 1 X padded to IFNAMSIZ ]
 * meta mark set meta mark &amp; A | B   [ meta load mark =&gt; reg 1 ] [ bitwise reg 1 = ( reg 1 &amp; (A &amp; ~B) ) ^ B ] [ meta set mark with reg 1 ]
 * comment "C"              USERDATA { u8 NFTNL_UDATA_RULE_COMMENT, u8 len, "C\0" }
 * </pre>
 */
public final class ChainRuleCodec {
    static final int NLM_F_APPEND = 0x800;             // linux/netlink.h: add at the end of the chain
    static final int NFT_MSG_NEWRULE = 6;              // enum nf_tables_msg_types, linux/netfilter/nf_tables.h
    static final int NFT_MSG_DELRULE = 8;
    static final int NFTA_RULE_TABLE = 1;              // enum nft_rule_attributes
    static final int NFTA_RULE_CHAIN = 2;
    static final int NFTA_RULE_EXPRESSIONS = 4;
    static final int NFTA_RULE_USERDATA = 7;
    static final int NFTA_LIST_ELEM = 1;               // enum nft_list_attributes
    static final int NFTA_EXPR_NAME = 1;               // enum nft_expr_attributes
    static final int NFTA_EXPR_DATA = 2;
    static final int NFT_REG_1 = 1;                    // enum nft_registers (16-byte register 1)
    static final int NFTA_META_DREG = 1;               // enum nft_meta_attributes
    static final int NFTA_META_KEY = 2;
    static final int NFTA_META_SREG = 3;
    static final int NFT_META_MARK = 3;                // enum nft_meta_keys
    static final int NFT_META_OIFNAME = 7;
    static final int NFTA_BITWISE_SREG = 1;            // enum nft_bitwise_attributes
    static final int NFTA_BITWISE_DREG = 2;
    static final int NFTA_BITWISE_LEN = 3;
    static final int NFTA_BITWISE_MASK = 4;
    static final int NFTA_BITWISE_XOR = 5;
    static final int NFTA_BITWISE_OP = 6;
    static final int NFT_BITWISE_BOOL = 0;             // NFT_BITWISE_MASK_XOR
    static final int NFTA_CMP_SREG = 1;                // enum nft_cmp_attributes
    static final int NFTA_CMP_OP = 2;
    static final int NFTA_CMP_DATA = 3;
    static final int NFT_CMP_EQ = 0;                   // enum nft_cmp_ops
    static final int NFT_CMP_LTE = 3;
    static final int NFT_CMP_GTE = 5;
    static final int NFTA_NG_DREG = 1;                 // enum nft_ng_attributes
    static final int NFTA_NG_MODULUS = 2;
    static final int NFTA_NG_TYPE = 3;
    static final int NFTA_NG_OFFSET = 4;
    static final int NFT_NG_RANDOM = 1;                // enum nft_ng_types
    static final int NFTA_BYTEORDER_SREG = 1;          // enum nft_byteorder_attributes
    static final int NFTA_BYTEORDER_DREG = 2;
    static final int NFTA_BYTEORDER_OP = 3;
    static final int NFTA_BYTEORDER_LEN = 4;
    static final int NFTA_BYTEORDER_SIZE = 5;
    static final int NFT_BYTEORDER_HTON = 1;           // enum nft_byteorder_ops
    static final int NFTA_DATA_VALUE = 1;              // enum nft_data_attributes
    static final int NFTNL_UDATA_RULE_COMMENT = 0;     // enum nftnl_udata_rule_types, libnftnl/udata.h

    private static final String TABLE = "fw4";

    private ChainRuleCodec() {}

    /**
     * One message of a rewrite batch.
     *
     * @param rule index of the rule in its chain, or -1 for the flush (DELRULE)
     */
    public record RuleMessage(int seq, String chain, int rule, String command) {}

    /** An encoded transaction; {@code bytes} has every message header in host byte order. */
    public record Batch(byte[] bytes, int beginSeq, int endSeq, List<RuleMessage> messages) {}

    /**
     * The chains a step's nft ops rewrite, when every op is a chain rewrite ({@link Op.ReplaceChain}) whose rules are
     * all {@link ChainRule}s; else empty (the step goes through nft's parser).
     */
    public static Optional<List<NftChain>> rewrites(List<Op> nftOps) {
        return rewrites(nftOps, ChainRule::parse);
    }

    /** {@link #rewrites(List)} with {@code parse} standing in for {@link ChainRule#parse} (e.g. a {@link ChainRuleMemo}). */
    static Optional<List<NftChain>> rewrites(List<Op> nftOps, Function<String, Optional<ChainRule>> parse) {
        List<NftChain> out = new ArrayList<>();
        for (Op op : nftOps) {
            if (!(op instanceof Op.ReplaceChain(NftChain chain)) || !encodable(chain, parse)) {
                return Optional.empty();
            }
            out.add(chain);
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /** Whether every rule of {@code chain} is in the vocabulary and its name fits NFT_NAME_MAXLEN. */
    public static boolean encodable(NftChain chain) {
        return encodable(chain, ChainRule::parse);
    }

    private static boolean encodable(NftChain chain, Function<String, Optional<ChainRule>> parse) {
        return chain.name().getBytes(StandardCharsets.UTF_8).length < 256
                && chain.rules().stream().allMatch(r -> parse.apply(r).isPresent());
    }

    /**
     * The batch replacing the rules of each chain: DELRULE (table + chain only: the kernel deletes every rule of the
     * chain), then a NEWRULE per rule (NLM_F_CREATE | NLM_F_APPEND), every message with NLM_F_ACK.
     *
     * @throws IllegalArgumentException when a rule is not {@link #encodable}
     */
    public static Batch encode(List<NftChain> chains, int firstSeq) {
        return encode(chains, firstSeq, ChainRule::parse);
    }

    /** {@link #encode(List, int)} with {@code parse} standing in for {@link ChainRule#parse}. */
    static Batch encode(List<NftChain> chains, int firstSeq, Function<String, Optional<ChainRule>> parse) {
        NlWriter w = new NlWriter();
        int seq = firstSeq;
        batchMessage(w, SetElementCodec.NFNL_MSG_BATCH_BEGIN, seq++);
        List<RuleMessage> messages = new ArrayList<>();
        for (NftChain c : chains) {
            header(w, NFT_MSG_DELRULE, NlHeader.NLM_F_ACK, seq, c.name());
            w.end();
            messages.add(new RuleMessage(seq++, c.name(), -1, "flush chain inet " + TABLE + " " + c.name()));
            for (int i = 0; i < c.rules().size(); i++) {
                String text = c.rules().get(i);
                ChainRule rule = parse.apply(text).orElseThrow(
                        () -> new IllegalArgumentException("not a strategy-chain rule, nft must parse it: " + text));
                header(w, NFT_MSG_NEWRULE, NlHeader.NLM_F_ACK | NlHeader.NLM_F_CREATE | NLM_F_APPEND, seq, c.name());
                rule(w, rule);
                w.end();
                messages.add(new RuleMessage(seq++, c.name(), i, "add rule inet " + TABLE + " " + c.name() + " " + text));
            }
        }
        batchMessage(w, SetElementCodec.NFNL_MSG_BATCH_END, seq);
        return new Batch(w.toByteArray(), firstSeq, seq, List.copyOf(messages));
    }

    /** NFTA_RULE_EXPRESSIONS and NFTA_RULE_USERDATA of one rule: the payload after table and chain. */
    static void rule(NlWriter w, ChainRule rule) {
        int list = w.nestStart(NFTA_RULE_EXPRESSIONS);
        for (Statement s : rule.statements()) {
            switch (s) {
                case MarkMatch m -> {
                    metaLoad(w, NFT_META_MARK);
                    bitwise(w, m.mask(), 0);
                    cmp(w, NFT_CMP_EQ, host32(m.value()));
                }
                case NumgenIs n -> {
                    numgen(w, n.modulus());
                    cmp(w, NFT_CMP_EQ, host32(n.value()));
                }
                case NumgenIn n -> {
                    numgen(w, n.modulus());
                    byteorderHton(w);
                    cmp(w, NFT_CMP_GTE, be32(n.low()));
                    cmp(w, NFT_CMP_LTE, be32(n.high()));
                }
                case OifName o -> {
                    metaLoad(w, NFT_META_OIFNAME);
                    byte[] name = new byte[ChainRule.IFNAMSIZ];
                    byte[] b = o.name().getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(b, 0, name, 0, b.length);
                    cmp(w, NFT_CMP_EQ, name);
                }
                case MarkSet m -> {
                    metaLoad(w, NFT_META_MARK);
                    bitwise(w, m.and() & ~m.or(), m.or());
                    Expr e = expr(w, "meta");
                    w.attrBe32(NFTA_META_KEY, NFT_META_MARK).attrBe32(NFTA_META_SREG, NFT_REG_1);
                    endExpr(w, e);
                }
            }
        }
        w.nestEnd(list);
        if (rule.comment() != null) {
            byte[] text = rule.comment().getBytes(StandardCharsets.UTF_8);
            byte[] udata = new byte[2 + text.length + 1];
            udata[0] = NFTNL_UDATA_RULE_COMMENT;
            udata[1] = (byte) (text.length + 1);
            System.arraycopy(text, 0, udata, 2, text.length);
            w.attr(NFTA_RULE_USERDATA, udata);
        }
    }

    private static void metaLoad(NlWriter w, int key) {
        Expr e = expr(w, "meta");
        w.attrBe32(NFTA_META_KEY, key).attrBe32(NFTA_META_DREG, NFT_REG_1);
        endExpr(w, e);
    }

    private static void bitwise(NlWriter w, int mask, int xor) {
        Expr e = expr(w, "bitwise");
        w.attrBe32(NFTA_BITWISE_SREG, NFT_REG_1).attrBe32(NFTA_BITWISE_DREG, NFT_REG_1)
                .attrBe32(NFTA_BITWISE_OP, NFT_BITWISE_BOOL).attrBe32(NFTA_BITWISE_LEN, 4);
        data(w, NFTA_BITWISE_MASK, host32(mask));
        data(w, NFTA_BITWISE_XOR, host32(xor));
        endExpr(w, e);
    }

    private static void cmp(NlWriter w, int op, byte[] value) {
        Expr e = expr(w, "cmp");
        w.attrBe32(NFTA_CMP_SREG, NFT_REG_1).attrBe32(NFTA_CMP_OP, op);
        data(w, NFTA_CMP_DATA, value);
        endExpr(w, e);
    }

    private static void numgen(NlWriter w, int modulus) {
        Expr e = expr(w, "numgen");
        w.attrBe32(NFTA_NG_DREG, NFT_REG_1).attrBe32(NFTA_NG_MODULUS, modulus)
                .attrBe32(NFTA_NG_TYPE, NFT_NG_RANDOM).attrBe32(NFTA_NG_OFFSET, 0);
        endExpr(w, e);
    }

    private static void byteorderHton(NlWriter w) {
        Expr e = expr(w, "byteorder");
        w.attrBe32(NFTA_BYTEORDER_SREG, NFT_REG_1).attrBe32(NFTA_BYTEORDER_DREG, NFT_REG_1)
                .attrBe32(NFTA_BYTEORDER_OP, NFT_BYTEORDER_HTON).attrBe32(NFTA_BYTEORDER_LEN, 4).attrBe32(NFTA_BYTEORDER_SIZE, 4);
        endExpr(w, e);
    }

    /** The two open nests of one expression. */
    private record Expr(int elem, int data) {}

    /** Opens {@code elem { NAME name DATA { ... } }}; close with {@link #endExpr}. */
    private static Expr expr(NlWriter w, String name) {
        int elem = w.nestStart(NFTA_LIST_ELEM);
        w.attrString(NFTA_EXPR_NAME, name);
        return new Expr(elem, w.nestStart(NFTA_EXPR_DATA));
    }

    private static void endExpr(NlWriter w, Expr e) {
        w.nestEnd(e.data());
        w.nestEnd(e.elem());
    }

    private static void data(NlWriter w, int type, byte[] value) {
        int n = w.nestStart(type);
        w.attr(NFTA_DATA_VALUE, value);
        w.nestEnd(n);
    }

    private static byte[] host32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] be32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array();
    }

    private static void header(NlWriter w, int msg, int flags, int seq, String chain) {
        w.begin(NlHeader.request(SetElementCodec.NFNL_SUBSYS_NFTABLES << 8 | msg, flags, seq));
        w.bytes(new byte[] {(byte) SetElementCodec.NFPROTO_INET, 0, 0, 0}); // nfgenmsg: family, NFNETLINK_V0, res_id 0
        w.attrString(NFTA_RULE_TABLE, TABLE);
        w.attrString(NFTA_RULE_CHAIN, chain);
    }

    private static void batchMessage(NlWriter w, int type, int seq) {
        w.begin(NlHeader.request(type, 0, seq));
        w.bytes(new byte[] {0, 0, 0, (byte) SetElementCodec.NFNL_SUBSYS_NFTABLES}); // res_id = htons(NFNL_SUBSYS_NFTABLES)
        w.end();
    }
}
