package org.mwan4.cli;

import java.util.List;
import java.util.Locale;
import org.mwan4.api.explain.Explanation;

/**
 * {@code mwan4 explain} as text: the steps all ways share, then each way with its share of new connections.
 *
 * <pre>
 * tcp 198.51.100.20:40000 -> 203.0.113.7:443 arriving on br-lan (ipv4, new connection, mwan4_prerouting)
 *   rule 'https' (tcp destination port 443 is in {443}): strategy balanced (mwan4_strategy_balanced_ipv4)
 *  75.0%  wan  mark 0x100  rule https  strategy balanced
 *   mwan4_strategy_balanced_ipv4: numgen random mod 4 0-2 picks 3 of 4 new connections
 *   ...
 *   -> leaves through eth0 via 192.0.2.1 (wan)
 * </pre>
 */
final class ExplainText {
    private ExplainText() {}

    static String render(Explanation e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.flow().describe()).append(" (").append(e.flow().family().id()).append(", new connection, ")
                .append(e.hook()).append(")\n");
        List<List<String>> traces = e.outcomes().stream().map(Explanation.Outcome::trace).toList();
        int common = commonPrefix(traces);
        if (!traces.isEmpty()) {
            traces.getFirst().subList(0, common).forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        for (Explanation.Outcome o : e.outcomes()) {
            sb.append(String.format(Locale.ROOT, "%5.1f%%  %s  mark %s", o.probability() * 100, o.meaning(), o.mark()));
            if (o.rule() != null) {
                sb.append("  rule ").append(o.rule());
            }
            if (o.strategy() != null) {
                sb.append("  strategy ").append(o.strategy());
            }
            sb.append('\n');
            o.trace().subList(common, o.trace().size()).forEach(l -> sb.append("  ").append(l).append('\n'));
            sb.append("  -> ").append(o.result()).append('\n');
        }
        for (String n : e.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static int commonPrefix(List<List<String>> traces) {
        if (traces.size() < 2) {
            return traces.isEmpty() ? 0 : traces.getFirst().size();
        }
        int n = 0;
        while (true) {
            int k = n;
            if (traces.stream().anyMatch(t -> t.size() <= k || !t.get(k).equals(traces.getFirst().get(k)))) {
                return n;
            }
            n++;
        }
    }
}
