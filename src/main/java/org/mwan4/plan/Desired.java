package org.mwan4.plan;

import java.util.Collections;
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

    public Desired {
        sets = Collections.unmodifiableSortedMap(new TreeMap<>(sets));
        chains = Collections.unmodifiableSortedMap(new TreeMap<>(chains));
        ipRules = Collections.unmodifiableSortedSet(new TreeSet<>(ipRules));
        routes = Collections.unmodifiableSortedSet(new TreeSet<>(routes));
    }

    public static Desired empty() {
        return new Desired(new TreeMap<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
    }
}
