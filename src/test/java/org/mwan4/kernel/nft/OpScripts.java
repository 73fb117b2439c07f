package org.mwan4.kernel.nft;

import java.util.List;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.NftSet;
import org.mwan4.plan.Op;

/** Renders nft ops as one script the way the planner's renderer does (tests only; the planner has the real one). */
final class OpScripts {
    private OpScripts() {}

    static NftScript render(List<Op> ops) {
        Scripts s = Scripts.create();
        for (Op op : ops) {
            switch (op) {
                case Op.AddSet a -> {
                    NftSet set = a.set();
                    String decl = "add set inet fw4 " + set.name() + " { type " + set.keyType() + ";"
                            + (set.interval() ? set.managedElements() ? " flags interval;" : " flags interval; auto-merge;" : "")
                            + (set.timeoutSeconds() > 0 ? " flags dynamic,timeout; timeout " + set.timeoutSeconds() + "s;" : "") + " }";
                    if (set.managedElements() && !set.elements().isEmpty()) {
                        s.op("add set " + set.name(), decl, NftFixtures.addElements(set.name(), set.elements()));
                    } else {
                        s.op("add set " + set.name(), decl);
                    }
                }
                case Op.DeleteSet d -> s.op("delete set " + d.name(), "delete set inet fw4 " + d.name());
                case Op.AddElements a -> s.op("add element " + a.set(), NftFixtures.addElements(a.set(), a.elements()));
                case Op.DeleteElements d -> s.op("delete element " + d.set(),
                        NftFixtures.addElements(d.set(), d.elements()).replaceFirst("^add", "delete"));
                case Op.AddChain a -> s.op("add chain " + a.chain().name(), lines("add chain inet fw4 " + a.chain().name()
                        + (a.chain().hook() == null ? "" : " { " + a.chain().hook() + " }"), a.chain()));
                case Op.ReplaceChain r -> s.op("replace chain " + r.chain().name(),
                        lines("flush chain inet fw4 " + r.chain().name(), r.chain()));
                case Op.DeleteChain d -> s.op("delete chain " + d.name(), "flush chain inet fw4 " + d.name(), "delete chain inet fw4 " + d.name());
                case Op.AddIpRule _, Op.DeleteIpRule _, Op.AddRoute _, Op.DeleteRoute _ -> { }
            }
        }
        return s.build();
    }

    private static String[] lines(String first, NftChain c) {
        String[] out = new String[c.rules().size() + 1];
        out[0] = first;
        for (int i = 0; i < c.rules().size(); i++) {
            out[i + 1] = "add rule inet fw4 " + c.name() + " " + c.rules().get(i);
        }
        return out;
    }
}
