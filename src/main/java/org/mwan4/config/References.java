package org.mwan4.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks across sections: every name refers to something, and the marks have room for every interface. */
final class References {
    private References() {}

    private static final List<String> FIXED_TARGETS = List.of("default", "unreachable", "blackhole");

    static void check(Sections all, Map<String, String> networkDevices, Diagnostics d) {
        List<String> ifaces = all.interfaceNames();
        Set<String> routeNames = new LinkedHashSet<>();
        all.routes().forEach(r -> routeNames.add(r.value().name()));
        Set<String> strategyNames = new LinkedHashSet<>();
        all.strategies().forEach(s -> strategyNames.add(s.value().name()));

        for (Sections.Read<Route> r : all.routes()) {
            String iface = r.value().iface();
            if (!iface.isEmpty() && !ifaces.contains(iface)) {
                d.error(r.at("interface"), r.subject(), "interface", "interface '" + iface + "' is not defined"
                        + Spelling.hint(iface, ifaces));
            }
        }
        for (Sections.Read<Strategy> s : all.strategies()) {
            for (String route : s.value().routes()) {
                if (!routeNames.contains(route)) {
                    d.error(s.at("use_route", route), s.subject(), "use_route", "use_route '" + route
                            + "' is not a defined route" + Spelling.hint(route, routeNames));
                }
            }
        }
        for (Sections.Read<Rule> r : all.rules()) {
            if (r.value().target() instanceof Rule.Target.UseStrategy(String name) && !strategyNames.contains(name)) {
                List<String> candidates = new ArrayList<>(strategyNames);
                candidates.addAll(FIXED_TARGETS);
                d.error(r.at("use_strategy"), r.subject(), "use_strategy", "use_strategy '" + name + "' is not a"
                        + " defined strategy nor default, unreachable or blackhole" + Spelling.hint(name, candidates));
            }
            r.value().srcIface().filter(i -> !ifaces.contains(i)).ifPresent(i -> d.error(r.at("src_iface"),
                    r.subject(), "src_iface", "src_iface '" + i + "' is not a defined interface" + Spelling.hint(i, ifaces)));
        }
        marks(all, d);
        for (Sections.Read<Interface> i : all.interfaces()) {
            String dev = networkDevices.get(i.value().name());
            if (dev != null) {
                Names.deviceProblem(dev).ifPresent(m -> d.error(i.section().position(), i.subject(), "device",
                        "/etc/config/network gives " + m));
            }
        }
    }

    private static void marks(Sections all, Diagnostics d) {
        Marks marks = new Marks(all.globals().mmxMask());
        int n = all.interfaces().size();
        Position at = all.globalsSection() == null ? null
                : all.globalsSection().option("mmx_mask").map(o -> o.last().position()).orElse(all.globalsSection().position());
        if (n > marks.maxInterfaces()) {
            Sections.Read<Interface> first = all.interfaces().get(marks.maxInterfaces());
            d.error(at == null ? first.section().position() : at, at == null ? first.subject() : all.globalsSection().label(),
                    "mmx_mask", "mmx_mask " + Marks.hex(marks.mask()) + " has room for " + marks.maxInterfaces()
                            + " interfaces but " + n + " are configured (use a mask with more bits)");
        }
        for (int table : all.globals().rtTableLookup()) {
            if (table >= 1 && table <= n && all.globalsSection() != null) {
                d.error(all.globalsSection().option("rt_table_lookup").map(o -> o.last().position()).orElse(at),
                        all.globalsSection().label(), "rt_table_lookup", "rt_table_lookup " + table
                                + " is the routing table of interface '" + all.interfaces().get(table - 1).value().name()
                                + "' (mwan4 uses tables 1.." + n + ")");
            }
        }
    }
}
