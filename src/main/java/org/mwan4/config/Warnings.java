package org.mwan4.config;

import java.util.ArrayList;
import java.util.List;

/** Things that work but surprise: reported as warnings, never errors. */
final class Warnings {
    private Warnings() {}

    static void check(Sections all, Diagnostics d) {
        for (Sections.Read<Strategy> s : all.strategies()) {
            if (s.value().routes().isEmpty()) {
                d.warning(s.section().position(), s.subject(), "use_route", "has no routes, so its traffic always takes"
                        + " last_resort (" + s.value().lastResort().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        for (Sections.Read<Interface> i : all.interfaces()) {
            boolean used = all.routes().stream().anyMatch(r -> r.value().iface().equals(i.value().name()));
            if (i.value().enabled() && !used) {
                d.warning(i.section().position(), i.subject(), "", "is enabled but no route uses it, so no traffic"
                        + " is sent through it");
            }
        }
        unreachableRules(all, d);
    }

    /** A rule every packet of a family matches hides every later rule of that family. */
    private static void unreachableRules(Sections all, Diagnostics d) {
        java.util.Map<Family, String> coveredBy = new java.util.EnumMap<>(Family.class);
        for (Sections.Read<Rule> r : all.rules()) {
            Rule rule = r.value();
            List<Family> applies = new ArrayList<>();
            for (Family f : Family.values()) {
                if (rule.appliesTo(f)) {
                    applies.add(f);
                }
            }
            if (!applies.isEmpty() && coveredBy.keySet().containsAll(applies)) {
                List<String> by = applies.stream().map(f -> "rule '" + coveredBy.get(f) + "' matches all " + f.id()
                        + " traffic").distinct().toList();
                d.warning(r.section().position(), r.subject(), "", "can never match: " + String.join(" and ", by)
                        + " before it");
                continue;
            }
            if (unconditional(rule)) {
                applies.forEach(f -> coveredBy.putIfAbsent(f, rule.name()));
            }
        }
    }

    /** Matches every packet of the families it applies to (no criteria, or only /0 prefixes). */
    static boolean unconditional(Rule r) {
        return r.proto().equals("all") && r.srcPort().isEmpty() && r.destPort().isEmpty() && r.srcIface().isEmpty()
                && r.ipset().isEmpty() && r.srcIp().stream().allMatch(Cidr::isDefault)
                && r.destIp().stream().allMatch(Cidr::isDefault);
    }

    static List<Diagnostic> compare(Config before, Config after) {
        List<Diagnostic> out = new ArrayList<>();
        for (Interface a : after.interfaces()) {
            before.iface(a.name()).filter(b -> b.id() != a.id()).ifPresent(b -> out.add(Diagnostic.warning(a.position(),
                    "interface '" + a.name() + "'", "", "moves from id " + b.id() + " to id " + a.id()
                            + ": its routing table and mark change, so its existing connections lose their"
                            + " route (keep interface sections in their order and add new ones at the end)")));
        }
        return out;
    }
}
