package org.mwan4.plan;

import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.core.State;

/**
 * {@code plan(State) -> Desired}: every object mwan4 wants in {@code table inet fw4}, its ip rules and the routes
 * of its per-interface tables. Pure: the same state gives the same (equal, byte-identical when rendered) plan.
 * Every rule is the text {@code nft list chain inet fw4 <name>} prints, so what the kernel helper reads back
 * compares equal and {@code diff(readBack, plan(state))} is empty after an apply.
 *
 * <p>Before a config is loaded nothing is wanted (an empty plan: mwan4 owns no objects yet).
 */
public final class Planner {
    private Planner() {}

    public static Desired plan(State state) {
        if (state.config() == null) {
            return Desired.empty();
        }
        PlanContext ctx = PlanContext.of(state);
        SortedMap<String, NftSet> sets = new TreeMap<>();
        SortedMap<String, NftChain> chains = new TreeMap<>();
        SortedSet<IpRule> rules = new TreeSet<>();
        SortedSet<IpRoute> routes = new TreeSet<>();
        AddressSets.add(ctx, sets);
        HookChains.add(ctx, chains);
        InterfaceChains.add(ctx, chains);
        StrategyChains.add(ctx, chains);
        UserRules.add(ctx, chains, sets);
        RoutingTables.addRules(ctx, rules);
        RoutingTables.addRoutes(ctx, routes);
        return new Desired(sets, chains, rules, routes);
    }
}
