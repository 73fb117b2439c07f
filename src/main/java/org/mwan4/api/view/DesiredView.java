package org.mwan4.api.view;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.plan.Desired;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/**
 * {@code GET /v1/desired}: the daemon's planned kernel state, lossless both ways ({@link #of} and
 * {@link #toDesired}), so {@code mwan4 explain} walks exactly the chains the daemon applied.
 */
public record DesiredView(List<SetView> sets, List<ChainView> chains, List<IpRuleView> ipRules, List<RouteView> routes) {
    public DesiredView {
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
        ipRules = List.copyOf(ipRules);
        routes = List.copyOf(routes);
    }

    public record SetView(String name, String keyType, boolean interval, int timeoutSeconds, boolean managedElements,
                          List<String> elements) {
        public SetView {
            elements = List.copyOf(elements);
        }
    }

    /** @param hook null for a regular chain */
    public record ChainView(String name, HookView hook, List<String> rules) {
        public ChainView {
            rules = List.copyOf(rules);
        }
    }

    public record HookView(String type, String hook, String priority) {}

    /** @param text the rule in {@code ip rule} syntax, for people */
    public record IpRuleView(String family, int priority, String iif, int fwmark, int fwmask, String action, int table,
                             String text) {}

    /** @param text the route in {@code ip route} syntax, for people */
    public record RouteView(int table, String destination, String type, String gateway, String device, int metric,
                            String source, String prefsrc, int protocol, int scope, String text) {}

    public static DesiredView of(Desired d) {
        List<SetView> sets = new ArrayList<>();
        for (NftSet s : d.sets().values()) {
            sets.add(new SetView(s.name(), s.keyType(), s.interval(), s.timeoutSeconds(), s.managedElements(),
                    s.elements().stream().map(Cidr::toString).toList()));
        }
        List<ChainView> chains = new ArrayList<>();
        for (NftChain c : d.chains().values()) {
            HookView h = c.hook() == null ? null : new HookView(c.hook().type(), c.hook().hook(), c.hook().priority());
            chains.add(new ChainView(c.name(), h, c.rules()));
        }
        List<IpRuleView> rules = d.ipRules().stream().map(r -> new IpRuleView(r.family().id(), r.priority(), r.iif(),
                r.fwmark(), r.fwmask(), r.action().name().toLowerCase(java.util.Locale.ROOT), r.table(), r.toString())).toList();
        List<RouteView> routes = d.routes().stream().map(r -> new RouteView(r.table(), r.destination().toString(), r.type(),
                text(r.gateway()), r.device(), r.metric(), r.source() == null ? null : r.source().toString(),
                text(r.prefsrc()), r.protocol(), r.scope(), r.toString())).toList();
        return new DesiredView(sets, chains, rules, routes);
    }

    /** Back to the planner's value; a malformed field throws {@link IllegalArgumentException} naming it. */
    public Desired toDesired() {
        TreeMap<String, NftSet> s = new TreeMap<>();
        for (SetView v : sets) {
            TreeSet<Cidr> elements = new TreeSet<>();
            v.elements().forEach(e -> elements.add(cidr(e, "set " + v.name())));
            s.put(v.name(), new NftSet(v.name(), v.keyType(), v.interval(), v.timeoutSeconds(), elements, v.managedElements()));
        }
        TreeMap<String, NftChain> c = new TreeMap<>();
        for (ChainView v : chains) {
            NftChain.Hook h = v.hook() == null ? null : new NftChain.Hook(v.hook().type(), v.hook().hook(), v.hook().priority());
            c.put(v.name(), new NftChain(v.name(), h, v.rules()));
        }
        TreeSet<IpRule> r = new TreeSet<>();
        for (IpRuleView v : ipRules) {
            Family f = Family.parse(v.family()).orElseThrow(() -> new IllegalArgumentException("ip rule " + v.priority()
                    + ": unknown family '" + v.family() + "'"));
            IpRule.Action a = IpRule.Action.valueOf(v.action().toUpperCase(java.util.Locale.ROOT));
            r.add(new IpRule(f, v.priority(), v.iif() == null ? "" : v.iif(), v.fwmark(), v.fwmask(), a, v.table()));
        }
        TreeSet<IpRoute> rt = new TreeSet<>();
        for (RouteView v : routes) {
            String what = "route '" + v.text() + "'";
            rt.add(new IpRoute(v.table(), cidr(v.destination(), what), v.type(),
                    v.gateway() == null ? null : ip(v.gateway(), what), v.device() == null ? "" : v.device(), v.metric(),
                    v.source() == null ? null : cidr(v.source(), what), v.prefsrc() == null ? null : ip(v.prefsrc(), what),
                    v.protocol(), v.scope()));
        }
        return new Desired(s, c, r, rt);
    }

    private static String text(IpAddress a) {
        return a == null ? null : a.toString();
    }

    private static Cidr cidr(String text, String where) {
        return Cidr.parse(text).orElseThrow(() -> new IllegalArgumentException(where + ": '" + text + "' is not a prefix"));
    }

    private static IpAddress ip(String text, String where) {
        return IpAddress.parse(text).orElseThrow(() -> new IllegalArgumentException(where + ": '" + text + "' is not an address"));
    }
}
