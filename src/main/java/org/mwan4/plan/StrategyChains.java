package org.mwan4.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.Marks;
import org.mwan4.config.Route;
import org.mwan4.config.Strategy;

/**
 * {@code mwan4_strategy_{name}_{family}} (mwan3-reference "Strategies"). Only online routes count and the
 * lowest online metric wins. Within it each route gets weight/total of the new connections:
 *
 * <pre>
 * meta mark &amp; 0x00003f00 == 0x00000000 numgen random mod 4 0-2 meta mark set ... | 0x00000100 comment "wan 3 4"
 * meta mark &amp; 0x00003f00 == 0x00000000 meta mark set ... | 0x00000200 comment "wanb 1 4"
 * </pre>
 *
 * Each rule draws its own random number, so the modulus of rule i is the weight still left (w_i + ... + w_n),
 * not the total: 1:1:1 is {@code mod 3 0}, {@code mod 2 0}, unconditional = 1/3 each. With two routes that is
 * exactly {@code mod TOTAL}. Comments keep {@code "<iface> <weight> <total>"} for the CLI's percentages.
 *
 * <p>With nothing online: {@code oifname "<dev>" ... default mark comment "out <iface> <dev>"} for every route whose
 * device exists (locally generated traffic bound to a device keeps it), then the last_resort mark.
 */
final class StrategyChains {
    private StrategyChains() {}

    /** A route of the winning tier. */
    record Pick(String iface, int mark, int weight) {}

    /** Adds the strategy chains; returns each one's winning tier by chain name (the sticky chains need them too). */
    static SortedMap<String, List<Pick>> add(PlanContext ctx, TierChains cache, SortedMap<String, NftChain> chains) {
        SortedMap<String, List<Pick>> tiers = new TreeMap<>();
        for (Strategy s : ctx.config().strategies()) {
            for (Family f : ctx.families()) {
                String name = NftText.strategyChain(s.name(), f);
                List<Pick> tier = tier(ctx, s, f);
                tiers.put(name, tier);
                chains.put(name, cache.chain(name, tier, () -> new NftChain(name, null, rules(ctx, s, f, tier))));
            }
        }
        return tiers;
    }

    static List<String> rules(PlanContext ctx, Strategy s, Family f, List<Pick> tier) {
        MarkText m = ctx.marks();
        List<String> out = new ArrayList<>();
        if (!tier.isEmpty()) {
            int total = tier.stream().mapToInt(Pick::weight).sum();
            int left = total;
            for (int i = 0; i < tier.size(); i++) {
                Pick p = tier.get(i);
                String comment = NftText.comment(p.iface() + " " + p.weight() + " " + total);
                String draw = i == tier.size() - 1 ? "" : "numgen random mod " + left + " " + (p.weight() == 1 ? "0" : "0-" + (p.weight() - 1)) + " ";
                out.add(m.unmarked() + " " + draw + m.set(p.mark()) + " " + comment);
                left -= p.weight();
            }
            return out;
        }
        Marks marks = ctx.config().marks();
        Set<String> seen = new LinkedHashSet<>();
        for (Route r : routes(ctx, s)) {
            Optional<Interface> i = ctx.usable(r.iface()).filter(x -> x.has(f));
            if (i.isEmpty() || !seen.add(r.iface())) {
                continue;
            }
            ctx.existingDevice(r.iface()).ifPresent(dev -> out.add(m.unmarked() + " oifname \"" + dev + "\" "
                    + m.set(marks.defaultMark()) + " " + NftText.comment("out " + r.iface() + " " + dev)));
        }
        int last = switch (s.lastResort()) {
            case UNREACHABLE -> marks.unreachableMark();
            case BLACKHOLE -> marks.blackholeMark();
            case DEFAULT -> marks.defaultMark();
        };
        out.add(m.unmarked() + " " + m.set(last) + " " + NftText.comment(s.lastResort().name().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }

    /**
     * The online routes with the lowest metric, in the strategy's order (each interface once). A route counts
     * when its interface is usable, has the family, has a known device and its tracker says online.
     */
    static List<Pick> tier(PlanContext ctx, Strategy s, Family f) {
        List<Route> online = new ArrayList<>();
        for (Route r : routes(ctx, s)) {
            Optional<Interface> i = ctx.usable(r.iface()).filter(x -> x.has(f));
            if (i.isPresent() && ctx.device(r.iface()).isPresent() && ctx.state().online(r.iface(), f)) {
                online.add(r);
            }
        }
        int best = online.stream().mapToInt(Route::metric).min().orElse(Integer.MAX_VALUE);
        List<Pick> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Route r : online) {
            if (r.metric() == best && seen.add(r.iface())) {
                Interface i = ctx.usable(r.iface()).orElseThrow();
                out.add(new Pick(i.name(), ctx.mark(i), r.weight()));
            }
        }
        return out;
    }

    /** The strategy's routes that resolve, with mwan3's limits: metric above 256 ignored, weight at least 1. */
    private static List<Route> routes(PlanContext ctx, Strategy s) {
        List<Route> out = new ArrayList<>();
        for (String name : s.routes()) {
            ctx.route(name).filter(r -> r.metric() >= 0 && r.metric() <= 256 && r.weight() >= 1).ifPresent(out::add);
        }
        return out;
    }
}
