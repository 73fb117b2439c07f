package org.mwan4.plan;

import java.util.Objects;
import org.mwan4.core.State;

/**
 * {@link Planner#plan} for a stream of states, remembering the part of the last plan that follows from config and
 * kernel facts alone. A probe event changes only tracker statuses, so only the strategy and sticky chains are
 * planned again; the rest (hundreds of routes, the hook, interface and rules chains) is shared with the previous
 * plan, and {@link Diff} skips shared parts without looking into them. {@code memo.plan(s)} always equals
 * {@code Planner.plan(s)} (a property test says so).
 *
 * <p>One per event loop, used from that loop only (not thread-safe). Facts count as unchanged when the state holds
 * the same (or equal) config, links, addresses, routes, {@code ifdown} set and {@code mwan4 use} cgroups as the last state whose facts were
 * planned; the reducer keeps those instances when it only touches trackers, so the check is a few identity tests.
 */
public final class PlanMemo {
    private State factsOf;
    private PlanContext context;
    private Planner.Facts facts;
    private final TierChains chains = new TierChains();

    public Desired plan(State state) {
        if (state.config() == null) {
            return Desired.empty();
        }
        if (factsOf == null || !sameFacts(factsOf, state)) {
            context = PlanContext.of(state);
            facts = Planner.facts(context);
            factsOf = state;
            chains.clear();
        }
        return Planner.withTrackers(facts, context.withTrackers(state), chains);
    }

    private static boolean sameFacts(State a, State b) {
        return same(a.config(), b.config()) && same(a.links(), b.links()) && same(a.addresses(), b.addresses())
                && same(a.routes(), b.routes()) && same(a.operatorDown(), b.operatorDown())
                && same(a.useCgroups(), b.useCgroups());
    }

    private static boolean same(Object a, Object b) {
        return a == b || Objects.equals(a, b);
    }
}
