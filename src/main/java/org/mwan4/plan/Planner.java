package org.mwan4.plan;

import java.util.List;
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
 * <p>Two parts: what follows from config and kernel facts alone ({@link Facts}: sets, hook, interface and rules
 * chains, ip rules, routes) and what tracker statuses decide (strategy and sticky chains, sticky sets). {@link PlanMemo} reuses
 * the first part while only trackers change, which is what a probe event does.
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
        return withTrackers(facts(ctx), ctx, new TierChains());
    }

    /** The part of a plan that does not depend on tracker status; its collections are frozen so plans can share them. */
    record Facts(SortedMap<String, NftSet> sets, SortedMap<String, NftChain> chains, SortedSet<IpRule> ipRules,
                 SortedSet<IpRoute> routes, List<UserRules.Sticky> sticky) {
        Facts {
            sets = Frozen.map(sets);
            chains = Frozen.map(chains);
            ipRules = Frozen.set(ipRules);
            routes = Frozen.set(routes);
            sticky = List.copyOf(sticky);
        }
    }

    static Facts facts(PlanContext ctx) {
        SortedMap<String, NftSet> sets = new TreeMap<>();
        SortedMap<String, NftChain> chains = new TreeMap<>();
        SortedSet<IpRule> rules = new TreeSet<>();
        SortedSet<IpRoute> routes = new TreeSet<>();
        AddressSets.add(ctx, sets);
        HookChains.add(ctx, chains);
        InterfaceChains.add(ctx, chains);
        List<UserRules.Sticky> sticky = UserRules.add(ctx, chains, sets);
        RoutingTables.addRules(ctx, rules);
        RoutingTables.addRoutes(ctx, routes);
        return new Facts(sets, chains, rules, routes, sticky);
    }

    /** The whole plan: the facts part plus the strategy and sticky chains for the trackers of {@code ctx}. */
    static Desired withTrackers(Facts facts, PlanContext ctx, TierChains cache) {
        SortedMap<String, NftChain> chains = new TreeMap<>(facts.chains());
        SortedMap<String, List<StrategyChains.Pick>> tiers = StrategyChains.add(ctx, cache, chains);
        SortedMap<String, NftSet> sets = facts.sticky().isEmpty() ? facts.sets() : new TreeMap<>(facts.sets());
        UserRules.addStickyChains(ctx, facts.sticky(), tiers, cache, chains, sets);
        return new Desired(sets, chains, facts.ipRules(), facts.routes());
    }
}
