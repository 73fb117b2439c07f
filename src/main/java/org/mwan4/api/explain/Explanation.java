package org.mwan4.api.explain;

import java.util.List;

/**
 * What {@link Explainer} found: the hook walked, and each distinct way the packet can go with its probability
 * (more than one only where a strategy balances with {@code numgen random}).
 *
 * @param hook  {@code mwan4_prerouting} (forwarded) or {@code mwan4_output} (the router's own)
 * @param notes assumptions the walk had to make (sticky sets, user sets whose contents mwan4 does not know)
 */
public record Explanation(Flow flow, String hook, List<Outcome> outcomes, List<String> notes) {
    public Explanation {
        outcomes = List.copyOf(outcomes);
        notes = List.copyOf(notes);
    }

    /**
     * @param probability share of new connections taking this way (0..1)
     * @param mark        the packet mark's mwan4 bits after the hook ({@code 0x100})
     * @param meaning     what the mark means: an interface name, {@code default}, {@code unreachable},
     *                    {@code blackhole}, or {@code none}
     * @param rule        the user rule that matched, or null
     * @param strategy    the strategy that decided, or null
     * @param ipRule      the ip rule that decided ({@code pref 2001 fwmark 0x100/0x3f00 lookup 1}), or null: main table
     * @param route       the route found in the ip rule's table, or null
     * @param result      one sentence: where the packet goes
     * @param trace       why, step by step
     * @param device      the device the route found leaves through ({@code wan2}), or null: rejected, dropped, a
     *                    route without a device, or the main table (not part of mwan4's plan)
     */
    public record Outcome(double probability, String mark, String meaning, String rule, String strategy, String ipRule,
                          String route, String result, List<String> trace, String device) {
        public Outcome {
            trace = List.copyOf(trace);
        }

        public Outcome(double probability, String mark, String meaning, String rule, String strategy, String ipRule,
                       String route, String result, List<String> trace) {
            this(probability, mark, meaning, rule, strategy, ipRule, route, result, trace, null);
        }
    }
}
