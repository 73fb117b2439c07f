package org.mwan4.plan;

import java.util.List;

/**
 * A chain in {@code table inet fw4} with its rules in order. Rules are nft statement text exactly as
 * {@code nft list chain} prints it (so what we read back compares equal), comments included.
 *
 * @param hook null for a regular chain, else e.g. {@code type filter hook prerouting priority mangle; policy accept;}
 */
public record NftChain(String name, Hook hook, List<String> rules) {
    public NftChain {
        rules = List.copyOf(rules);
    }

    /** A base chain's declaration: {@code type <type> hook <hook> priority <priority>; policy accept;}. */
    public record Hook(String type, String hook, String priority) {
        @Override
        public String toString() {
            return "type " + type + " hook " + hook + " priority " + priority + "; policy accept;";
        }
    }
}
