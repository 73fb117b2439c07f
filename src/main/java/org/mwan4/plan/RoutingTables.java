package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.SortedSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.Marks;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;

/**
 * ip rules and the per-interface routing tables (mwan3-reference "Marks, tables, ip rules").
 *
 * <pre>
 * pref 1000+id iif &lt;dev&gt; lookup id          traffic arriving on the WAN answers through it
 * pref 2000+id fwmark mark/mask lookup id    marked traffic uses the WAN's table
 * pref 3000+id fwmark mark/mask unreachable  ... and never falls through to main when that table is empty
 * pref 2000+blackholeId   fwmark bh/mask blackhole
 * pref 2000+unreachableId fwmark unr/mask unreachable
 * </pre>
 *
 * Table id holds copies of main-table routes: those through its own device, the other non-default routes
 * (not fe80::/64), and the default route only of its own device; the same from every rt_table_lookup table.
 * With source_routing 0 a default route loses its {@code from X}.
 */
final class RoutingTables {
    static final Cidr LINK_LOCAL_V6 = Cidr.parse("fe80::/64").orElseThrow();

    private RoutingTables() {}

    static void addRules(PlanContext ctx, SortedSet<IpRule> out) {
        Marks marks = ctx.config().marks();
        int mask = marks.mask();
        for (Family f : ctx.families()) {
            for (Interface i : ctx.usable()) {
                Optional<String> dev = ctx.device(i.name());
                if (!i.has(f) || dev.isEmpty()) {
                    continue;
                }
                int mark = ctx.mark(i);
                out.add(new IpRule(f, 1000 + i.id(), dev.get(), 0, 0, IpRule.Action.LOOKUP, i.id()));
                out.add(new IpRule(f, 2000 + i.id(), "", mark, mask, IpRule.Action.LOOKUP, i.id()));
                out.add(new IpRule(f, 3000 + i.id(), "", mark, mask, IpRule.Action.UNREACHABLE, 0));
            }
            out.add(new IpRule(f, 2000 + marks.blackholeId(), "", marks.blackholeMark(), mask, IpRule.Action.BLACKHOLE, 0));
            out.add(new IpRule(f, 2000 + marks.unreachableId(), "", marks.unreachableMark(), mask, IpRule.Action.UNREACHABLE, 0));
        }
    }

    static void addRoutes(PlanContext ctx, SortedSet<IpRoute> out) {
        State s = ctx.state();
        List<Integer> sourceTables = new ArrayList<>();
        sourceTables.add(RouteFact.TABLE_MAIN);
        for (int t : ctx.config().globals().rtTableLookup()) {
            if (!sourceTables.contains(t)) {
                sourceTables.add(t);
            }
        }
        for (Interface i : ctx.usable()) {
            Optional<String> dev = ctx.existingDevice(i.name());
            if (dev.isEmpty()) {
                continue;
            }
            int ownIndex = s.linkNamed(dev.get()).orElseThrow().ifindex();
            // the kernel keys a route by table, destination, source and metric; the first copy wins
            Set<IpRoute> keys = new TreeSet<>(IpRoute::compareKey);
            for (int table : sourceTables) {
                for (RouteFact r : s.routes()) {
                    if (r.table() != table || !i.has(r.family()) || !copied(r, ownIndex)) {
                        continue;
                    }
                    copy(ctx, r, i.id()).ifPresent(route -> {
                        if (keys.add(route)) {
                            out.add(route);
                        }
                    });
                }
            }
        }
    }

    /** Own device: everything; other devices: non-default routes except fe80::/64. */
    static boolean copied(RouteFact r, int ownIndex) {
        if (isLocalType(r.type())) {
            return false;
        }
        if (r.ifindex() == ownIndex && ownIndex != 0) {
            return true;
        }
        return !r.isDefault() && !r.destination().network().equals(LINK_LOCAL_V6);
    }

    private static Optional<IpRoute> copy(PlanContext ctx, RouteFact r, int table) {
        String type = r.type() == null ? "unicast" : r.type();
        String device = "";
        if (r.ifindex() != 0) {
            String name = ctx.linkNames().get(r.ifindex());
            Optional<String> safe = NftText.device(name);
            if (safe.isEmpty()) {
                return Optional.empty();
            }
            device = safe.get();
        } else if (type.equals("unicast")) {
            return Optional.empty();
        }
        Cidr source = r.source();
        if (r.isDefault() && !ctx.config().globals().sourceRouting()) {
            source = null;
        }
        return Optional.of(new IpRoute(table, r.destination().network(), type, r.gateway(), device, r.metric(), source,
                r.prefsrc(), r.protocol(), r.scope()));
    }

    private static boolean isLocalType(String type) {
        return type != null && (type.equals("local") || type.equals("broadcast") || type.equals("anycast") || type.equals("multicast"));
    }
}
