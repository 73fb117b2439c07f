package org.mwan4.plan;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mwan4.config.Cidr;

/**
 * Interval-set elements as the kernel keeps them. Our managed sets are {@code flags interval} without
 * auto-merge, so nft rejects overlapping elements ("conflicting intervals specified") but keeps adjacent
 * ones apart and deletes exactly what was added. Normalizing to networks (host bits cleared) without
 * any prefix covered by another one gives a set nft accepts and lists back unchanged.
 */
public final class Prefixes {
    private Prefixes() {}

    /** {@code 192.0.2.5/24 -> 192.0.2.0/24}; {@code 10.0.0.0/8, 10.1.0.0/16 -> 10.0.0.0/8}. Families never mix. */
    public static SortedSet<Cidr> normalize(Collection<Cidr> prefixes) {
        TreeSet<Cidr> sorted = new TreeSet<>();
        for (Cidr c : prefixes) {
            sorted.add(c.network());
        }
        // Sorted by (address, length), a covering prefix precedes everything it covers, and the kept ones are
        // disjoint, so only the last kept one can cover the next candidate.
        TreeSet<Cidr> out = new TreeSet<>();
        Cidr last = null;
        for (Cidr c : sorted) {
            if (last != null && covers(last, c)) {
                continue;
            }
            out.add(c);
            last = c;
        }
        return out;
    }

    /** Whether every address of {@code inner} is in {@code outer}. */
    public static boolean covers(Cidr outer, Cidr inner) {
        return outer.family() == inner.family() && outer.prefix() <= inner.prefix()
                && inner.address().masked(outer.prefix()).equals(outer.address().masked(outer.prefix()));
    }
}
