package org.mwan4.plan;

import java.util.List;

/**
 * One nft transaction as script text ({@code nft -f} syntax), plus where each op's lines are, so a
 * kernel error on line N can be reported as {@code nft rejected op 3 of 7 (add rule ...): <reason>}.
 *
 * @param text       the script; every command on its own line(s)
 * @param opOfLine   for each 1-based line number L, {@code opOfLine[L-1]} is the 0-based index of the op it belongs to
 * @param summaries  one short human description per op, e.g. {@code replace chain mwan4_strategy_balanced_ipv4}
 */
public record NftScript(String text, int[] opOfLine, List<String> summaries) {
    public NftScript {
        summaries = List.copyOf(summaries);
    }

    public int opCount() {
        return summaries.size();
    }

    /** The op behind a 1-based script line, or -1 when the line is outside the script. */
    public int opAt(int line) {
        return line >= 1 && line <= opOfLine.length ? opOfLine[line - 1] : -1;
    }

    public boolean isEmpty() {
        return text.isBlank();
    }
}
