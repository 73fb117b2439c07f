package org.mwan4.plan;

import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the kernel must hold for mwan4: our sets and chains in {@code table inet fw4}, our ip rules,
 * and the routes of our per-interface tables. Names are deterministic; maps are sorted by name.
 */
public record Desired(SortedMap<String, NftSet> sets, SortedMap<String, NftChain> chains, SortedSet<IpRule> ipRules, SortedSet<IpRoute> routes) {
    public static final String TABLE = "inet fw4";

    /** Copies into immutable sorted collections, except those that already are (a plan sharing its previous plan's parts). */
    public Desired {
        sets = Frozen.map(sets);
        chains = Frozen.map(chains);
        ipRules = Frozen.set(ipRules);
        routes = Frozen.set(routes);
    }

    public static Desired empty() {
        return new Desired(new TreeMap<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
    }
}
