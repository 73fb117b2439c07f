package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;

/**
 * The packet and byte counters of our rules, read from nft's stateful text listing
 * ({@code nft list chain inet fw4 mwan4_rules_ipv4}): one {@link Counted} per rule that has a {@code counter}
 * statement, in chain order. Pure; rules without a counter are left out.
 */
public final class NftCounters {
    private static final Pattern COUNTER = Pattern.compile("\\bcounter packets (\\d+) bytes (\\d+)");
    private static final Pattern COMMENT = Pattern.compile(" comment \"((?:[^\"\\\\]|\\\\.)*)\"$");

    private NftCounters() {}

    /**
     * One counted rule.
     *
     * @param rule    the rule as the planner writes it (counter values removed: {@code ... counter jump x comment "y"})
     * @param comment the rule's comment (the user rule's name), "" when it has none
     */
    public record Counted(String chain, String rule, String comment, long packets, long bytes) {}

    /** The counted rules of every {@code table inet fw4} chain in {@code listing} named with {@code prefix}, by chain name. */
    static List<Counted> parse(String listing, String prefix) {
        String[] t = Desired.TABLE.split(" ");
        List<Counted> out = new ArrayList<>();
        for (NftChain c : NftTextListing.rawChains(listing, t[0], t[1], prefix).values()) {
            for (String rule : c.rules()) {
                Matcher m = COUNTER.matcher(rule);
                if (!m.find()) {
                    continue;
                }
                Matcher comment = COMMENT.matcher(rule);
                out.add(new Counted(c.name(), NftTextListing.withoutCounterValues(rule), comment.find() ? comment.group(1) : "",
                        parseCount(m.group(1)), parseCount(m.group(2))));
            }
        }
        return out;
    }

    /**
     * The counters of the named chains of {@code table inet fw4}, in the given order; a chain that does not exist
     * (not planned yet, or flushed by someone) adds nothing. Equals {@code nft list chain inet fw4 NAME} for each.
     *
     * @throws NftException when nft refuses a listing for another reason than a missing chain or table
     */
    public static List<Counted> read(NftBackend nft, List<String> chains) {
        List<Counted> out = new ArrayList<>();
        for (String chain : chains) {
            String listing;
            try {
                listing = nft.listWithCounters("list chain " + Desired.TABLE + " " + chain);
            } catch (NftException e) {
                if (NftErrors.isNotFound(e)) {
                    continue;
                }
                throw e;
            }
            parse(listing, chain).stream().filter(c -> c.chain().equals(chain)).forEach(out::add);
        }
        return out;
    }

    /** A 64-bit counter; one beyond {@code long} (not reachable in practice) shows as the maximum. */
    private static long parseCount(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
