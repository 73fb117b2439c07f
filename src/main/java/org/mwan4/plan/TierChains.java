package org.mwan4.plan;

import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Strategy and sticky chains depend on config, facts and one thing trackers decide: their strategy's winning
 * tier. {@link PlanMemo} keeps one of these across plans (and drops it when facts change), so a chain whose tier
 * did not change is the same instance as last time: nothing to build and nothing for {@link Diff} to compare.
 * {@link Planner#plan} uses a fresh one per call.
 */
final class TierChains {
    private record Entry(List<StrategyChains.Pick> tier, NftChain chain) {}

    private final TreeMap<String, Entry> last = new TreeMap<>();

    /** The chain built for this tier last time, or a new one. */
    NftChain chain(String name, List<StrategyChains.Pick> tier, Supplier<NftChain> build) {
        Entry e = last.get(name);
        if (e != null && e.tier().equals(tier)) {
            return e.chain();
        }
        NftChain c = build.get();
        last.put(name, new Entry(tier, c));
        return c;
    }

    void clear() {
        last.clear();
    }
}
