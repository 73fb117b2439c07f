package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import org.mwan4.config.Family;
import org.mwan4.config.Globals;
import org.mwan4.config.Marks;
import org.mwan4.config.Rule;
import org.mwan4.config.Strategy;

/**
 * {@code mwan4_rules_{family}}: the user's rules in file order, first match wins (each rule only touches
 * packets still unmarked). A rule whose parts cannot be written safely (unknown protocol, src_iface without a
 * device, an unsafe set name) is left out rather than widened.
 *
 * <pre>
 * meta mark &amp; 0x00003f00 == 0x00000000 iifname "eth2" ip saddr 192.0.2.0/24 ip daddr { ... } ip daddr @user_set
 *     tcp sport 1024-65535 tcp dport { 80, 443 } counter log prefix "mwan4(https) " level notice jump mwan4_strategy_balanced_ipv4 comment "https"
 * </pre>
 *
 * A rule with an {@code ipset} and no {@code family} list is IPv4 only: a named set has one address type and nft
 * rejects the whole transaction when {@code ip6 daddr} meets an IPv4 set.
 *
 * <p>Sticky rules get {@code chain mwan4_rule_{rule}_{family}} and, for each interface the strategy uses right
 * now, {@code set mwan4_rule_{family}_{rule}_{id} { type ipv4_addr; flags dynamic,timeout; timeout Ns; }} (id: the
 * interface's mark id): a source in the set of an interface in use keeps that interface, else the strategy decides
 * and the source goes into the set of the interface it got. A set exists only while its interface is in the
 * strategy's tier, so leaving the tier (offline) forgets its sources (mwan3-reference "Sticky rules": one mark
 * per source, entries dropped when the tracker declares the WAN offline): when the WAN comes back, a source that
 * moved away stays where it is instead of being pulled back by its old entry (which split a source's connections
 * over two online WANs when the sets were keyed by address and mark).
 */
final class UserRules {
    private UserRules() {}

    /** A sticky rule that made it into a rules chain: its chain and sets depend on which interfaces are online. */
    record Sticky(Rule rule, Family family, String chain, String strategyChain) {
        Sticky(Rule rule, Strategy strategy, Family family) {
            this(rule, family, NftText.stickyChain(rule.name(), family), NftText.strategyChain(strategy.name(), family));
        }

        String set(StrategyChains.Pick p, PlanContext ctx) {
            return NftText.stickySet(rule.name(), family, ctx.usable(p.iface()).orElseThrow().id());
        }
    }

    /** The rules chains and sticky sets (none of it depends on tracker status); returns the sticky chains to build. */
    static List<Sticky> add(PlanContext ctx, SortedMap<String, NftChain> chains, SortedMap<String, NftSet> sets) {
        List<Sticky> sticky = new ArrayList<>();
        for (Family f : Family.values()) {
            List<String> rules = new ArrayList<>();
            if (ctx.families().contains(f)) {
                for (Rule r : ctx.config().rules()) {
                    if (applies(r, f)) {
                        rule(ctx, r, f, sets, sticky).ifPresent(rules::add);
                    }
                }
            }
            chains.put(NftText.rulesChain(f), new NftChain(NftText.rulesChain(f), null, rules));
        }
        return sticky;
    }

    /** The sticky chains and sets, for the tiers the strategy chains just chose (by strategy chain name). */
    static void addStickyChains(PlanContext ctx, List<Sticky> sticky, SortedMap<String, List<StrategyChains.Pick>> tiers,
                                TierChains cache, SortedMap<String, NftChain> chains, SortedMap<String, NftSet> sets) {
        for (Sticky s : sticky) {
            List<StrategyChains.Pick> found = tiers.get(s.strategyChain());
            List<StrategyChains.Pick> tier = found == null ? List.of() : found;
            chains.put(s.chain(), cache.chain(s.chain(), tier, () -> stickyChain(ctx, s, tier)));
            int timeout = (int) Math.clamp(s.rule().timeout().toSeconds(), 1, Integer.MAX_VALUE);
            for (StrategyChains.Pick p : tier) {
                String name = s.set(p, ctx);
                sets.put(name, new NftSet(name, s.family() == Family.IPV4 ? "ipv4_addr" : "ipv6_addr", false, timeout,
                        new TreeSet<>(), false));
            }
        }
    }

    static boolean applies(Rule r, Family f) {
        if (!r.appliesTo(f)) {
            return false;
        }
        return r.ipset().isEmpty() || !r.families().isEmpty() || f == Family.IPV4;
    }

    private static Optional<String> rule(PlanContext ctx, Rule r, Family f, SortedMap<String, NftSet> sets, List<Sticky> sticky) {
        Optional<String> match = match(ctx, r, f);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        // every user rule counts what it matched: mwan4 rules / GET /v1/rules show it (nft lists it as "counter
        // packets N bytes M"; the read-back lists statelessly, so the canonical form stays plain "counter")
        StringBuilder sb = new StringBuilder(match.get()).append(" counter");
        Globals g = ctx.config().globals();
        if (g.logging() && r.logging()) {
            String prefix = NftText.text("mwan4(" + r.name() + ") ", NftText.LOG_PREFIX_MAX);
            sb.append(" log prefix \"").append(prefix).append('"').append(logLevel(g.loglevel()));
        }
        Marks marks = ctx.config().marks();
        MarkText m = ctx.marks();
        switch (r.target()) {
            case Rule.Target.UseStrategy u -> {
                Optional<Strategy> s = ctx.config().strategy(u.strategy());
                if (s.isEmpty()) {
                    return Optional.empty();
                }
                if (r.sticky()) {
                    sticky.add(new Sticky(r, s.get(), f));
                    sb.append(" jump ").append(NftText.stickyChain(r.name(), f));
                } else {
                    sb.append(" jump ").append(NftText.strategyChain(u.strategy(), f));
                }
            }
            case Rule.Target.Default d -> sb.append(' ').append(m.set(marks.defaultMark()));
            case Rule.Target.Unreachable u -> sb.append(' ').append(m.set(marks.unreachableMark()));
            case Rule.Target.Blackhole b -> sb.append(' ').append(m.set(marks.blackholeMark()));
        }
        sb.append(' ').append(NftText.comment(r.name()));
        return Optional.of(sb.toString());
    }

    /** Everything before the log statement and verdict, or empty when the rule cannot be expressed. */
    static Optional<String> match(PlanContext ctx, Rule r, Family f) {
        StringBuilder sb = new StringBuilder(ctx.marks().unmarked());
        if (r.srcIface().isPresent()) {
            Optional<String> dev = ctx.device(r.srcIface().get());
            if (dev.isEmpty()) {
                return Optional.empty();
            }
            sb.append(" iifname \"").append(dev.get()).append('"');
        }
        if (!r.srcIp().isEmpty()) {
            sb.append(' ').append(f.nftFamily()).append(" saddr ").append(SetLiteral.addresses(r.srcIp()));
        }
        if (!r.destIp().isEmpty()) {
            sb.append(' ').append(f.nftFamily()).append(" daddr ").append(SetLiteral.addresses(r.destIp()));
        }
        if (r.ipset().isPresent()) {
            Optional<String> set = NftText.setName(r.ipset().get());
            if (set.isEmpty()) {
                return Optional.empty();
            }
            sb.append(' ').append(f.nftFamily()).append(" daddr @").append(set.get());
        }
        if (!Protocols.isAll(r.proto())) {
            Optional<String> proto = Protocols.nftName(r.proto());
            if (proto.isEmpty()) {
                return Optional.empty();
            }
            boolean ports = Protocols.hasPorts(proto.get()) && !(r.srcPort().isEmpty() && r.destPort().isEmpty());
            if (!ports) {
                sb.append(" meta l4proto ").append(proto.get());
            }
            if (ports && !r.srcPort().isEmpty()) {
                sb.append(' ').append(proto.get()).append(" sport ").append(SetLiteral.ports(r.srcPort()));
            }
            if (ports && !r.destPort().isEmpty()) {
                sb.append(' ').append(proto.get()).append(" dport ").append(SetLiteral.ports(r.destPort()));
            }
        }
        return Optional.of(sb.toString());
    }

    /** {@code level x} as nft lists it: omitted for warn (its default); UCI's error/warning spelled as nft's. */
    static String logLevel(String uci) {
        String l = uci == null ? "notice" : uci.toLowerCase(Locale.ROOT);
        l = switch (l) {
            case "error" -> "err";
            case "warning" -> "warn";
            case "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" -> l;
            default -> "notice";
        };
        return l.equals("warn") ? "" : " level " + l;
    }

    private static NftChain stickyChain(PlanContext ctx, Sticky s, List<StrategyChains.Pick> tier) {
        String addr = s.family().nftFamily() + " saddr";
        MarkText m = ctx.marks();
        List<String> rules = new ArrayList<>();
        for (StrategyChains.Pick p : tier) {
            rules.add(m.unmarked() + " " + addr + " @" + s.set(p, ctx) + " " + m.set(p.mark()) + " " + NftText.comment(p.iface()));
        }
        rules.add(m.unmarked() + " jump " + s.strategyChain());
        for (StrategyChains.Pick p : tier) {
            rules.add(m.is(p.mark()) + " update @" + s.set(p, ctx) + " { " + addr + " }");
        }
        return new NftChain(s.chain(), null, rules);
    }
}
