package org.mwan4.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.mwan4.config.Cidr;

/**
 * Ops as one nft transaction ({@code nft -f} text). Every line belongs to one op ({@link NftScript#opOfLine}),
 * so a kernel error on line N names the op: {@code nft rejected op 3 of 7 (replace chain ...)}. The ip rule and
 * route ops have a summary but no lines: they go to the kernel as rtnetlink messages.
 *
 * <pre>
 * add set inet fw4 mwan4_rule_ipv4_https_1 { type ipv4_addr; flags dynamic,timeout; timeout 600s; }
 * add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/24, 198.51.100.0/24 }
 * add chain inet fw4 mwan4_output { type route hook output priority mangle; policy accept; }
 * flush chain inet fw4 mwan4_strategy_balanced_ipv4
 * add rule inet fw4 mwan4_strategy_balanced_ipv4 meta mark &amp; 0x00003f00 == 0x00000000 ...
 * </pre>
 */
public final class NftRender {
    static final String TABLE = "inet fw4";

    private NftRender() {}

    public static NftScript script(List<Op> ops) {
        StringBuilder text = new StringBuilder();
        List<Integer> opOfLine = new ArrayList<>();
        List<String> summaries = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            summaries.add(summary(op));
            for (String line : lines(op)) {
                text.append(line).append('\n');
                opOfLine.add(i);
            }
        }
        return new NftScript(text.toString(), opOfLine.stream().mapToInt(Integer::intValue).toArray(), summaries);
    }

    /** The nft commands of one op (none for ip rule and route ops). */
    static List<String> lines(Op op) {
        List<String> out = new ArrayList<>();
        switch (op) {
            case Op.AddSet a -> {
                out.add("add set " + TABLE + " " + a.set().name() + " { " + declaration(a.set()) + " }");
                if (a.set().managedElements() && !a.set().elements().isEmpty()) {
                    out.add("add element " + TABLE + " " + a.set().name() + " " + elements(a.set().elements()));
                }
            }
            case Op.DeleteSet d -> out.add("delete set " + TABLE + " " + d.name());
            case Op.AddElements a -> out.add("add element " + TABLE + " " + a.set() + " " + elements(a.elements()));
            case Op.DeleteElements d -> out.add("delete element " + TABLE + " " + d.set() + " " + elements(d.elements()));
            case Op.AddChain a -> {
                NftChain c = a.chain();
                out.add("add chain " + TABLE + " " + c.name() + (c.hook() == null ? "" : " { " + c.hook() + " }"));
                rules(c, out);
            }
            case Op.ReplaceChain r -> {
                out.add("flush chain " + TABLE + " " + r.chain().name());
                rules(r.chain(), out);
            }
            case Op.DeleteChain d -> {
                // flush first: kernels before 4.x refuse to delete a chain that still has rules
                out.add("flush chain " + TABLE + " " + d.name());
                out.add("delete chain " + TABLE + " " + d.name());
            }
            case Op.AddIpRule a -> { }
            case Op.DeleteIpRule d -> { }
            case Op.AddRoute a -> { }
            case Op.DeleteRoute d -> { }
        }
        return out;
    }

    /** One line per op for logs and errors. */
    public static String summary(Op op) {
        return switch (op) {
            case Op.AddSet a -> "add set " + a.set().name();
            case Op.DeleteSet d -> "delete set " + d.name();
            case Op.AddElements a -> "add element " + a.set() + " " + elements(a.elements());
            case Op.DeleteElements d -> "delete element " + d.set() + " " + elements(d.elements());
            case Op.AddChain a -> "add chain " + a.chain().name() + " (" + a.chain().rules().size() + " rules)";
            case Op.ReplaceChain r -> "replace chain " + r.chain().name() + " (" + r.chain().rules().size() + " rules)";
            case Op.DeleteChain d -> "delete chain " + d.name();
            case Op.AddIpRule a -> IpRender.rule("add", a.rule());
            case Op.DeleteIpRule d -> IpRender.rule("del", d.rule());
            case Op.AddRoute a -> IpRender.route("add", a.route());
            case Op.DeleteRoute d -> IpRender.route("del", d.route());
        };
    }

    private static void rules(NftChain c, List<String> out) {
        for (String rule : c.rules()) {
            out.add("add rule " + TABLE + " " + c.name() + " " + rule);
        }
    }

    /**
     * {@code type ipv4_addr; flags interval;} as input syntax. Only sets users fill get auto-merge: nft 1.0.6
     * cannot delete a part of a merged range ("element does not exist"), so the sets whose elements we manage
     * keep exactly the (disjoint) elements we add.
     */
    static String declaration(NftSet s) {
        StringBuilder sb = new StringBuilder("type ").append(s.keyType()).append(';');
        if (s.interval()) {
            sb.append(" flags interval;");
            if (!s.managedElements()) {
                sb.append(" auto-merge;");
            }
        }
        if (s.timeoutSeconds() > 0) {
            // "dynamic" as the kernel adds it once a rule updates the set: a second declaration must match it
            sb.append(" flags dynamic,timeout; timeout ").append(s.timeoutSeconds()).append("s;");
        }
        return sb.toString();
    }

    static String elements(Collection<Cidr> elements) {
        return elements.stream().map(Cidr::toString).collect(Collectors.joining(", ", "{ ", " }"));
    }
}
