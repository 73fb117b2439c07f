package org.mwan4.api.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.Interface;
import org.mwan4.config.Marks;
import org.mwan4.plan.Desired;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/**
 * {@code mwan4 explain}: where the first packet of a new connection goes and why, from the config and the planned
 * kernel state (pure). It walks the hook chain the way the kernel would (mwan3-reference "Hook chain order":
 * restore from conntrack - a new connection has no mark - WAN input chains, connected/custom/dynamic sets, user
 * rules in order, the strategy with its numgen ranges, sticky chains), then the ip rules by priority and the
 * route in the chosen table.
 */
public final class Explainer {
    private Explainer() {}

    public static Explanation explain(Config config, Desired desired, Flow flow) {
        return explain(config, desired, flow, new TreeMap<>());
    }

    /**
     * @param kernelSets what sets the plan does not fill hold right now (the user's {@code ipset} sets, the dynamic
     *                   sets, the sticky sets), read from the kernel by name ({@link #setsToRead}); a set not in it
     *                   is assumed not to contain the address, and the explanation says so
     */
    public static Explanation explain(Config config, Desired desired, Flow flow, SortedMap<String, SortedSet<Cidr>> kernelSets) {
        Walk walk = new Walk(desired, flow, config.marks(), kernelSets, m -> meaning(config, m));
        String hook = flow.local() ? "mwan4_output" : "mwan4_prerouting";
        List<Walk.Path> paths = walk.run(hook, new Walk.Path(), 0);
        Map<String, Explanation.Outcome> merged = new LinkedHashMap<>();
        for (Walk.Path p : paths) {
            Explanation.Outcome o = outcome(config, desired, flow, p);
            String key = String.join("|", o.mark(), String.valueOf(o.rule()), String.valueOf(o.strategy()),
                    String.valueOf(o.ipRule()), String.valueOf(o.route()), o.result());
            Explanation.Outcome before = merged.get(key);
            merged.put(key, before == null ? o : new Explanation.Outcome(before.probability() + o.probability(), o.mark(),
                    o.meaning(), o.rule(), o.strategy(), o.ipRule(), o.route(), o.result(), before.trace(), o.device()));
        }
        List<Explanation.Outcome> outcomes = new ArrayList<>(merged.values());
        outcomes.sort(Comparator.comparingDouble(Explanation.Outcome::probability).reversed());
        return new Explanation(flow, hook, outcomes, List.copyOf(walk.notes));
    }

    private static Explanation.Outcome outcome(Config config, Desired desired, Flow flow, Walk.Path p) {
        Marks marks = config.marks();
        int mark = p.mark & marks.mask();
        String meaning = meaning(config, mark);
        List<String> trace = new ArrayList<>(p.trace);
        if (p.rule == null && mark == 0) {
            trace.add("no mwan4 rule decided: the packet keeps no mwan4 mark");
        }
        for (IpRule r : desired.ipRules()) {
            if (r.family() != flow.family() || !matches(r, flow, p.mark)) {
                continue;
            }
            switch (r.action()) {
                case UNREACHABLE -> {
                    trace.add("ip rule '" + r + "' matches: unreachable");
                    return new Explanation.Outcome(p.probability, Marks.hex(mark), meaning, p.rule, p.strategy, r.toString(),
                            null, "rejected: network unreachable (" + r + ")", trace);
                }
                case BLACKHOLE -> {
                    trace.add("ip rule '" + r + "' matches: blackhole");
                    return new Explanation.Outcome(p.probability, Marks.hex(mark), meaning, p.rule, p.strategy, r.toString(),
                            null, "dropped silently (" + r + ")", trace);
                }
                case LOOKUP -> {
                    Optional<IpRoute> route = lookup(desired, flow, r.table());
                    if (route.isEmpty()) {
                        trace.add("ip rule '" + r + "' matches, but table " + r.table() + " has no route to " + flow.dst()
                                + ": the kernel goes on with the next rule");
                        continue;
                    }
                    IpRoute rt = route.get();
                    trace.add("ip rule '" + r + "' matches; table " + r.table() + ": " + rt);
                    String via = rt.type().equals("unicast")
                            ? "leaves through " + (rt.device().isEmpty() ? "?" : rt.device())
                            + (rt.gateway() == null ? "" : " via " + rt.gateway())
                            : rt.type() + " route in table " + r.table();
                    String wan = interfaceOf(config, mark).map(i -> " (" + i + ")").orElse("");
                    return new Explanation.Outcome(p.probability, Marks.hex(mark), meaning, p.rule, p.strategy, r.toString(),
                            rt.toString(), via + wan, trace, rt.type().equals("unicast") && !rt.device().isEmpty() ? rt.device() : null);
                }
            }
        }
        String why = mark == marks.defaultMark() ? "default mark: normal routing" : "no mwan4 ip rule matches";
        trace.add(why + ": the main routing table decides");
        return new Explanation.Outcome(p.probability, Marks.hex(mark), meaning, p.rule, p.strategy, null, null,
                "main routing table (" + why + ")", trace);
    }

    /**
     * The sets the chains look up whose contents the plan does not hold (the user's, dynamic and sticky sets), so
     * a caller can read them from the kernel for {@link #explain(Config, Desired, Flow, SortedMap)}.
     */
    public static SortedSet<String> setsToRead(Desired desired) {
        SortedSet<String> out = new TreeSet<>();
        Matcher m = SET_REFERENCE.matcher("");
        for (NftChain c : desired.chains().values()) {
            for (String rule : c.rules()) {
                m.reset(rule);
                while (m.find()) {
                    NftSet s = desired.sets().get(m.group(1));
                    if (s == null || !s.managedElements()) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        return out;
    }

    /** {@code @name} in a rule (a set lookup or update); nft names are letters, digits, {@code _ . /}. */
    private static final Pattern SET_REFERENCE = Pattern.compile("@([A-Za-z_][A-Za-z0-9_./]*)");

    /** {@code ip rule} selectors: {@code iif} (the router's own traffic has iif lo) and {@code fwmark/mask}. */
    static boolean matches(IpRule r, Flow flow, int mark) {
        if (!r.iif().isEmpty() && !r.iif().equals(flow.local() ? "lo" : flow.iif())) {
            return false;
        }
        return r.fwmask() == 0 || (mark & r.fwmask()) == (r.fwmark() & r.fwmask());
    }

    /** The route the kernel picks in a table: longest prefix containing the destination, then lowest metric. */
    static Optional<IpRoute> lookup(Desired d, Flow flow, int table) {
        return d.routes().stream()
                .filter(r -> r.table() == table && r.destination().contains(flow.dst()))
                .filter(r -> r.source() == null || r.source().contains(flow.src()))
                .min(Comparator.comparingInt((IpRoute r) -> -r.destination().prefix()).thenComparingInt(IpRoute::metric));
    }

    /** A mark's mwan4 bits in words: an interface name, default, unreachable, blackhole, or none. */
    static String meaning(Config config, int mark) {
        Marks m = config.marks();
        if (mark == 0) {
            return "none";
        }
        if (mark == m.defaultMark()) {
            return "default";
        }
        if (mark == m.unreachableMark()) {
            return "unreachable";
        }
        if (mark == m.blackholeMark()) {
            return "blackhole";
        }
        return interfaceOf(config, mark).orElse("unknown mark");
    }

    static Optional<String> interfaceOf(Config config, int mark) {
        Marks m = config.marks();
        for (Interface i : config.interfaces()) {
            if (i.id() >= 1 && i.id() <= m.maxInterfaces() && m.interfaceMark(i.id()) == mark) {
                return Optional.of(i.name());
            }
        }
        return Optional.empty();
    }
}
