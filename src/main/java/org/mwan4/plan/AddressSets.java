package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.core.RouteFact;

/**
 * The base sets (mwan3-reference "Connected / custom / dynamic sets"): {@code mwan4_connected_*} holds the
 * destinations of main-table routes and our local addresses plus multicast, {@code mwan4_custom_*} the
 * networks of the {@code rt_table_lookup} tables, {@code mwan4_dynamic_*} belongs to the user (we never
 * touch its elements, so it keeps auto-merge).
 */
final class AddressSets {
    /** IPv4 multicast and reserved space (mwan3 adds 224.0.0.0/3). */
    static final Cidr MULTICAST_V4 = Cidr.parse("224.0.0.0/3").orElseThrow();
    /** IPv6 multicast: the counterpart mwan3 lacks; multicast never leaves through a WAN by mark. */
    static final Cidr MULTICAST_V6 = Cidr.parse("ff00::/8").orElseThrow();

    private AddressSets() {}

    static void add(PlanContext ctx, SortedMap<String, NftSet> sets) {
        for (Family f : Family.values()) {
            String type = f == Family.IPV4 ? "ipv4_addr" : "ipv6_addr";
            sets.put(NftText.addressSet("connected", f),
                    new NftSet(NftText.addressSet("connected", f), type, true, 0, Prefixes.normalize(connected(ctx, f)), true));
            sets.put(NftText.addressSet("custom", f),
                    new NftSet(NftText.addressSet("custom", f), type, true, 0, Prefixes.normalize(custom(ctx, f)), true));
            sets.put(NftText.addressSet("dynamic", f),
                    new NftSet(NftText.addressSet("dynamic", f), type, true, 0, new TreeSet<>(), false));
        }
    }

    /** Unicast non-default routes of the main table, local addresses (local table, type local), multicast. */
    static List<Cidr> connected(PlanContext ctx, Family f) {
        List<Cidr> out = new ArrayList<>();
        for (RouteFact r : ctx.state().routes()) {
            if (r.family() != f) {
                continue;
            }
            boolean mainUnicast = r.table() == RouteFact.TABLE_MAIN && isUnicast(r) && !r.isDefault();
            boolean local = r.table() == RouteFact.TABLE_LOCAL && "local".equals(r.type());
            if (mainUnicast || local) {
                out.add(r.destination());
            }
        }
        out.add(f == Family.IPV4 ? MULTICAST_V4 : MULTICAST_V6);
        return out;
    }

    /** Unicast non-default routes of the {@code rt_table_lookup} tables. */
    static List<Cidr> custom(PlanContext ctx, Family f) {
        List<Integer> tables = ctx.config().globals().rtTableLookup();
        List<Cidr> out = new ArrayList<>();
        for (RouteFact r : ctx.state().routes()) {
            if (r.family() == f && tables.contains(r.table()) && isUnicast(r) && !r.isDefault()) {
                out.add(r.destination());
            }
        }
        return out;
    }

    static boolean isUnicast(RouteFact r) {
        return r.type() == null || r.type().equals("unicast");
    }
}
