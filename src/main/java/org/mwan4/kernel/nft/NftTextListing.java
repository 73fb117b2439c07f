package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mwan4.plan.NftChain;

/**
 * Reads the chains of one table out of nft's text listing ({@code nft -s -t list ruleset}). Rules are
 * kept as the exact lines nft prints (trimmed, no handles, no counter values), which is the canonical form
 * the planner renders, so a chain read back after an apply compares equal to the one planned.
 * <pre>
 * table inet fw4 {
 * 	chain mwan4_prerouting {
 * 		type filter hook prerouting priority mangle; policy accept;
 * 		meta mark &amp; 0x00003f00 == 0x00000000 jump mwan4_ifaces_in
 * 	}
 * }
 * </pre>
 * Pure; lines it does not understand are skipped, never fatal.
 */
final class NftTextListing {
    // "type filter hook prerouting priority mangle; policy accept;" (netdev chains add "device ..." before priority)
    private static final Pattern HOOK = Pattern.compile(
            "^type (\\S+) hook (\\S+)(?: devices? (?:=\\s*)?(?:\\{[^}]*}|\"[^\"]*\"|\\S+))? priority (.+?);(?: policy \\S+;)?$");

    /**
     * The values a stateful listing prints after {@code counter}. The daemon lists with {@code -s} (none printed), but
     * a rule read from any listing must compare equal to the planned one whatever the counters say, so a moving
     * counter never looks like a changed rule.
     */
    private static final Pattern COUNTER_VALUES = Pattern.compile("\\bcounter packets \\d+ bytes \\d+");

    private NftTextListing() {}

    /** A rule line without counter values: {@code ... counter packets 3 bytes 180 jump x} -> {@code ... counter jump x}. */
    static String withoutCounterValues(String rule) {
        return rule.contains("counter packets ") ? COUNTER_VALUES.matcher(rule).replaceAll("counter") : rule;
    }

    /** True when the listing has {@code table <family> <name> {}}. */
    static boolean hasTable(String listing, String family, String table) {
        String header = "table " + family + " " + table + " {";
        return listing.lines().anyMatch(header::equals);
    }

    /**
     * Chains of {@code table <family> <name>} whose names start with {@code prefix}, by name; empty when the
     * listing has no such table.
     */
    static SortedMap<String, NftChain> chains(String listing, String family, String table, String prefix) {
        SortedMap<String, NftChain> out = new TreeMap<>();
        rawChains(listing, family, table, prefix).forEach((name, c) -> out.put(name, new NftChain(name, c.hook(),
                c.rules().stream().map(NftTextListing::withoutCounterValues).toList())));
        return out;
    }

    /** {@link #chains} with the rule lines exactly as listed (counter values kept). */
    static SortedMap<String, NftChain> rawChains(String listing, String family, String table, String prefix) {
        SortedMap<String, NftChain> out = new TreeMap<>();
        String header = "table " + family + " " + table + " {";
        boolean inTable = false;
        String current = null;
        boolean skipping = false;
        NftChain.Hook hook = null;
        List<String> rules = new ArrayList<>();
        for (String raw : listing.split("\n")) {
            int tabs = 0;
            while (tabs < raw.length() && raw.charAt(tabs) == '\t') {
                tabs++;
            }
            String t = raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (tabs == 0) {
                inTable = raw.equals(header); // "table inet fw4 {" opens it, "}" closes any table
                current = null;
                skipping = false;
                continue;
            }
            if (!inTable) {
                continue;
            }
            if (tabs == 1) {
                if (t.equals("}")) {
                    if (current != null) {
                        out.put(current, new NftChain(current, hook, rules));
                    }
                    current = null;
                    skipping = false;
                } else if (current == null && !skipping && t.startsWith("chain ") && t.endsWith("{")) {
                    String name = unquote(t.substring("chain ".length(), t.length() - 1).strip());
                    if (name.startsWith(prefix)) {
                        current = name;
                        hook = null;
                        rules = new ArrayList<>();
                    } else {
                        skipping = true;
                    }
                } else if (t.endsWith("{")) {
                    skipping = true; // a set, map, flowtable, stateful object or someone else's chain
                }
                continue;
            }
            if (current == null) {
                continue;
            }
            if (tabs == 2) {
                boolean atTop = hook == null && rules.isEmpty();
                if (atTop && t.startsWith("comment \"")) {
                    continue; // the chain's own comment, printed before its hook
                }
                Matcher m = atTop ? HOOK.matcher(t) : null;
                if (m != null && m.matches()) {
                    hook = new NftChain.Hook(m.group(1), m.group(2), m.group(3));
                } else {
                    rules.add(t);
                }
            } else if (!rules.isEmpty()) {
                rules.set(rules.size() - 1, rules.getLast() + " " + t); // a wrapped continuation line
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
