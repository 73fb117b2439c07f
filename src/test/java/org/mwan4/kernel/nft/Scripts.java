package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.plan.NftScript;

/** Builds an {@link NftScript} op by op, the way the planner's renderer does, for tests. */
final class Scripts {
    private final StringBuilder text = new StringBuilder();
    private final List<Integer> opOfLine = new ArrayList<>();
    private final List<String> summaries = new ArrayList<>();

    static Scripts create() {
        return new Scripts();
    }

    /** One op: its summary and its script lines. */
    Scripts op(String summary, String... lines) {
        int op = summaries.size();
        summaries.add(summary);
        for (String l : lines) {
            text.append(l).append('\n');
            opOfLine.add(op);
        }
        return this;
    }

    NftScript build() {
        return new NftScript(text.toString(), opOfLine.stream().mapToInt(Integer::intValue).toArray(), summaries);
    }
}
