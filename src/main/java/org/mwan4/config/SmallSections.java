package org.mwan4.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mwan4.config.uci.UciSection;
import org.mwan4.config.uci.UciValue;

/** The sections with few options: globals, route (mwan3 member), strategy (mwan3 policy). */
final class SmallSections {
    private SmallSections() {}

    static final Set<String> GLOBALS_OPTIONS = new LinkedHashSet<>(List.of(
            "mmx_mask", "logging", "loglevel", "rt_table_lookup", "source_routing", "use_cgroup"));
    static final Set<String> ROUTE_OPTIONS = new LinkedHashSet<>(List.of("interface", "metric", "weight"));
    static final Set<String> STRATEGY_OPTIONS = new LinkedHashSet<>(List.of("use_route", "last_resort"));

    static final List<String> LOGLEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    static Globals globals(UciSection s, Diagnostics diags) {
        SectionReader r = new SectionReader(s, diags, GLOBALS_OPTIONS);
        r.checkUnknown(Map.of("local_source", "an old mwan3 option mwan4 does not use; remove it"));
        int mask = mask(r);
        boolean logging = r.bool("logging", false);
        String loglevel = r.choice("loglevel", "notice", words(LOGLEVELS));
        List<Integer> tables = new ArrayList<>();
        for (UciValue v : r.items("rt_table_lookup", true)) {
            String t = v.text();
            if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(Character::isDigit) || Long.parseLong(t) < 1
                    || Long.parseLong(t) > 0x7FFFFFFFL || t.equals("253") || t.equals("254") || t.equals("255")) {
                r.error(v.position(), "rt_table_lookup", "rt_table_lookup '" + t + "' is not a routing table id"
                        + " (a number 1..2147483647, not 253 default, 254 main or 255 local)");
            } else if (tables.contains(Integer.parseInt(t))) {
                r.error(v.position(), "rt_table_lookup", "rt_table_lookup " + t + " is listed twice");
            } else {
                tables.add(Integer.parseInt(t));
            }
        }
        boolean sourceRouting = r.bool("source_routing", false);
        return new Globals(mask, logging, loglevel, tables, sourceRouting, s.position(), useCgroup(r));
    }

    /** 1..4 path components of letters, digits, {@code _ . -}: it ends up in nft text and under /sys/fs/cgroup. */
    static final java.util.regex.Pattern CGROUP_PATH = java.util.regex.Pattern.compile(
            "[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}){0,3}");

    private static String useCgroup(SectionReader r) {
        Optional<UciValue> v = r.single("use_cgroup");
        if (v.isEmpty()) {
            return Globals.DEFAULT_USE_CGROUP;
        }
        String t = v.get().text();
        if (!CGROUP_PATH.matcher(t).matches()) {
            r.error(v.get().position(), "use_cgroup", "use_cgroup '" + t + "' is not a cgroup path relative to the"
                    + " cgroup2 mount (1 to 4 names of letters, digits, '_', '.', '-' joined by '/', e.g. mwan4)");
            return Globals.DEFAULT_USE_CGROUP;
        }
        return t;
    }

    private static int mask(SectionReader r) {
        Optional<UciValue> v = r.single("mmx_mask");
        if (v.isEmpty()) {
            return Globals.DEFAULT_MMX_MASK;
        }
        String t = v.get().text();
        long m;
        try {
            m = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            m = -1;
        }
        if (m <= 0 || m > 0x7FFFFFFFL) {
            r.error(v.get().position(), "mmx_mask", "mmx_mask '" + t + "' is not a mark mask (a number such as"
                    + " 0x3F00, at most 0x7FFFFFFF)");
            return Globals.DEFAULT_MMX_MASK;
        }
        int bits = Long.bitCount(m);
        if (bits < 3 || bits > 16) {
            r.error(v.get().position(), "mmx_mask", "mmx_mask " + t + " has " + bits + " bits set; it needs 3..16"
                    + " (three marks are reserved: default, unreachable, blackhole)");
            return Globals.DEFAULT_MMX_MASK;
        }
        return (int) m;
    }

    static Route route(UciSection s, Diagnostics diags) {
        SectionReader r = new SectionReader(s, diags, ROUTE_OPTIONS);
        r.checkUnknown(Map.of());
        String name = named(r, Names.Kind.ROUTE);
        String iface = r.single("interface").map(UciValue::text).orElse("");
        if (iface.isEmpty()) {
            r.error(s.position(), "interface", "a route needs option interface");
        }
        // mwan3 silently ignored metrics above 256; here it is an error
        int metric = r.integer("metric", 1, 1, 256);
        int weight = r.integer("weight", 1, 1, 1000);
        return new Route(name, iface, metric, weight, s.position());
    }

    static Strategy strategy(UciSection s, Diagnostics diags) {
        SectionReader r = new SectionReader(s, diags, STRATEGY_OPTIONS);
        r.checkUnknown(Map.of("use_member", "mwan3 spelling; 'mwan4 migrate' renames it to use_route"));
        String name = named(r, Names.Kind.STRATEGY);
        List<String> routes = new ArrayList<>();
        for (UciValue v : r.items("use_route", true)) {
            if (routes.contains(v.text())) {
                r.error(v.position(), "use_route", "use_route '" + v.text() + "' is listed twice");
            } else {
                routes.add(v.text());
            }
        }
        Strategy.LastResort last = r.choice("last_resort", Strategy.LastResort.UNREACHABLE,
                InterfaceReader.words(Strategy.LastResort.values()));
        return new Strategy(name, routes, last, s.position());
    }

    private static String named(SectionReader r, Names.Kind kind) {
        UciSection s = r.section();
        if (s.name().isEmpty()) {
            r.error(s.position(), "", "a " + s.type() + " section needs a name, so that others can refer to it"
                    + " (config " + s.type() + " 'name')");
            return s.id();
        }
        Names.problem(kind, s.name().get()).ifPresent(m -> r.error(s.position(), "", m));
        return s.name().get();
    }

    private static Map<String, String> words(List<String> ws) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        ws.forEach(w -> m.put(w, w));
        return m;
    }
}
