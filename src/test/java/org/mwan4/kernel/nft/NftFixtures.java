package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.mwan4.config.Cidr;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.NftSet;

/**
 * A small mwan4 ruleset in the plan model, with rules in nft 1.0.6's canonical listing form, and a minimal
 * renderer (tests only; the planner has the real one) that turns a model into one script.
 */
final class NftFixtures {
    static final String MASK = "0x00003f00";

    private NftFixtures() {}

    static Desired ruleset() {
        SortedMap<String, NftSet> sets = new TreeMap<>();
        put(sets, new NftSet("mwan4_connected_ipv4", "ipv4_addr", true, 0,
                cidrs("192.0.2.0/24", "198.51.100.7", "203.0.113.64/26"), true));
        put(sets, new NftSet("mwan4_connected_ipv6", "ipv6_addr", true, 0, cidrs("2001:db8:1::/48", "2001:db8:2::1"), true));
        put(sets, new NftSet("mwan4_custom_ipv4", "ipv4_addr", true, 0, cidrs("198.51.100.0/25", "198.51.100.128/25"), true));
        put(sets, new NftSet("mwan4_rule_ipv4_sticky", "ipv4_addr . mark", false, 600, cidrs(), false));
        SortedMap<String, NftChain> chains = new TreeMap<>();
        put(chains, new NftChain("mwan4_prerouting", new NftChain.Hook("filter", "prerouting", "mangle"), List.of(
                "ip6 nexthdr ipv6-icmp icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect } return",
                "meta mark & " + MASK + " == 0x00000000 meta mark set ct mark & " + MASK,
                "meta mark & " + MASK + " == 0x00000000 jump mwan4_ifaces_in",
                "meta mark & " + MASK + " == 0x00000000 ip daddr @mwan4_connected_ipv4 meta mark set meta mark | " + MASK,
                "meta mark & " + MASK + " == 0x00000000 meta nfproto ipv4 jump mwan4_strategy_balanced_ipv4",
                "ct mark set meta mark & " + MASK)));
        put(chains, new NftChain("mwan4_output", new NftChain.Hook("route", "output", "mangle"), List.of(
                "meta mark & " + MASK + " == 0x00000000 jump mwan4_ifaces_in")));
        put(chains, new NftChain("mwan4_ifaces_in", null, List.of(
                "iifname \"veth0\" meta mark & " + MASK + " == 0x00000000 meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan\"",
                "ip saddr . meta mark @mwan4_rule_ipv4_sticky meta mark set meta mark & 0xffffc2ff | 0x00000200")));
        put(chains, new NftChain("mwan4_strategy_balanced_ipv4", null, strategyRules(3, 4)));
        return new Desired(sets, chains, new TreeSet<>(), new TreeSet<>());
    }

    /** Two members weighted {@code w}:{@code total - w}, as the planner renders them. */
    static List<String> strategyRules(int w, int total) {
        return List.of(
                "meta mark & " + MASK + " == 0x00000000 numgen random mod " + total + " < " + w
                        + " meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan " + w + " " + total + "\"",
                "meta mark & " + MASK + " == 0x00000000 meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb "
                        + (total - w) + " " + total + "\"");
    }

    /** {@code add table}, every set with its elements, every chain, then every chain's rules: one op each. */
    static NftScript render(Desired d) {
        Scripts s = Scripts.create().op("add table inet fw4", "add table inet fw4");
        for (NftSet set : d.sets().values()) {
            List<String> lines = new ArrayList<>();
            StringBuilder decl = new StringBuilder("add set inet fw4 " + set.name() + " { type " + set.keyType() + ";");
            // the planner's forms: managed interval sets without auto-merge, sticky sets dynamic with a timeout
            if (set.interval()) {
                decl.append(set.managedElements() ? " flags interval;" : " flags interval; auto-merge;");
            }
            if (set.timeoutSeconds() > 0) {
                decl.append(" flags dynamic,timeout; timeout ").append(set.timeoutSeconds()).append("s;");
            }
            lines.add(decl.append(" }").toString());
            if (set.managedElements() && !set.elements().isEmpty()) {
                lines.add(addElements(set.name(), set.elements()));
            }
            s.op("add set " + set.name(), lines.toArray(String[]::new));
        }
        for (NftChain c : d.chains().values()) {
            s.op("add chain " + c.name(), "add chain inet fw4 " + c.name() + (c.hook() == null ? "" : " { " + c.hook() + " }"));
        }
        for (NftChain c : d.chains().values()) {
            if (!c.rules().isEmpty()) {
                s.op("fill chain " + c.name(), c.rules().stream().map(r -> "add rule inet fw4 " + c.name() + " " + r).toArray(String[]::new));
            }
        }
        return s.build();
    }

    static String addElements(String set, SortedSet<Cidr> elements) {
        return "add element inet fw4 " + set + " { " + elements.stream().map(Cidr::toString).collect(Collectors.joining(", ")) + " }";
    }

    static SortedSet<Cidr> cidrs(String... s) {
        SortedSet<Cidr> out = new TreeSet<>();
        for (String x : s) {
            out.add(Cidr.parse(x).orElseThrow());
        }
        return out;
    }

    /** {@code n} distinct, non-adjacent /64s inside 2001:db8::/32 (so auto-merge keeps them apart). */
    static List<Cidr> manyPrefixes(int n) {
        List<Cidr> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Cidr.parse(String.format("2001:db8:%x:%x::/64", i / 1000, (i % 1000) * 2)).orElseThrow());
        }
        return out;
    }

    private static void put(SortedMap<String, NftSet> m, NftSet s) {
        m.put(s.name(), s);
    }

    private static void put(SortedMap<String, NftChain> m, NftChain c) {
        m.put(c.name(), c);
    }
}
