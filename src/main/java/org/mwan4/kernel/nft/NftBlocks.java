package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.mwan4.plan.Desired;

/**
 * The sets and chains of one table cut out of nft's text listing, each as the block nft printed
 * ({@code set mwan4_connected_ipv4 { ... }}), for showing them ({@code mwan4 internal}). Pure; the order is the
 * listing's (nft prints sets before chains).
 */
public final class NftBlocks {
    private NftBlocks() {}

    /**
     * One object of the table.
     *
     * @param kind {@code set}, {@code map} or {@code chain}
     * @param text the block as listed, one tab of indentation removed ({@code chain x {\n\t...\n}})
     */
    public record Block(String kind, String name, String text) {}

    /**
     * Our objects of {@code table inet fw4} that {@code keep} accepts, with counters and set elements; none when
     * the table does not exist. Equals {@code nft list table inet fw4}, filtered.
     *
     * @throws NftException when nft refuses the listing for another reason
     */
    public static List<Block> read(NftBackend nft, Predicate<String> keep) {
        String listing;
        try {
            listing = nft.listWithCounters("list table " + Desired.TABLE);
        } catch (NftException e) {
            if (NftErrors.isNotFound(e)) {
                return List.of();
            }
            throw e;
        }
        String[] t = Desired.TABLE.split(" ");
        return of(listing, t[0], t[1], keep);
    }

    /** The blocks of {@code table <family> <name>} whose object names {@code keep} accepts. */
    public static List<Block> of(String listing, String family, String table, Predicate<String> keep) {
        List<Block> out = new ArrayList<>();
        String header = "table " + family + " " + table + " {";
        boolean inTable = false;
        StringBuilder current = null;
        String kind = null;
        String name = null;
        for (String raw : listing.split("\n")) {
            if (raw.isBlank()) {
                continue; // nft separates the objects of a table with empty lines
            }
            if (!raw.startsWith("\t")) {
                inTable = raw.equals(header);
                current = null;
                continue;
            }
            if (!inTable) {
                continue;
            }
            boolean top = raw.length() > 1 && raw.charAt(1) != '\t';
            String t = raw.strip();
            if (top && current == null && t.endsWith("{")) {
                String[] words = t.split("\\s+");
                if (words.length == 3 && keep.test(unquote(words[1]))) {
                    kind = words[0];
                    name = unquote(words[1]);
                    current = new StringBuilder(t);
                }
                continue;
            }
            if (current == null) {
                continue;
            }
            current.append('\n').append(raw.substring(1));
            if (top && t.equals("}")) {
                out.add(new Block(kind, name, current.toString()));
                current = null;
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
