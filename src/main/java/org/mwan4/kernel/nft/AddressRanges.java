package org.mwan4.kernel.nft;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * Address ranges as prefixes. An interval set with {@code auto-merge} stores overlapping and adjacent
 * elements merged into one interval, which nft lists as a prefix when it is one
 * ({@code 192.0.2.0/25 + 192.0.2.128/25 -> 192.0.2.0/24}) and as a range otherwise
 * ({@code 198.51.100.0-198.51.100.64}). The plan model only knows prefixes, so a range is read back as the
 * smallest list of prefixes covering exactly the same addresses. Pure functions.
 */
public final class AddressRanges {
    private AddressRanges() {}

    /**
     * The smallest list of prefixes covering exactly {@code first..last}, in address order.
     * {@code 198.51.100.0-198.51.100.64 -> [198.51.100.0/26, 198.51.100.64]}.
     *
     * @throws IllegalArgumentException when the families differ or {@code first > last}
     */
    public static List<Cidr> prefixes(IpAddress first, IpAddress last) {
        if (first.family() != last.family() || first.compareTo(last) > 0) {
            throw new IllegalArgumentException("not a range: " + first + "-" + last);
        }
        Family family = first.family();
        int bits = first.bits();
        BigInteger lo = toBig(first);
        BigInteger hi = toBig(last);
        List<Cidr> out = new ArrayList<>();
        while (lo.compareTo(hi) <= 0) {
            // the largest block that starts at lo (aligned) and does not run past hi
            int size = lo.signum() == 0 ? bits : Math.min(lo.getLowestSetBit(), bits);
            while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
                size--;
            }
            out.add(new Cidr(fromBig(family, lo), bits - size));
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    /**
     * What an {@code auto-merge} interval set holds after adding {@code cidrs}, as read back through
     * {@link #prefixes}: host bits cleared, overlapping and adjacent prefixes merged, then split into the
     * fewest prefixes again. A planner that renders these reads back exactly what it wrote.
     */
    public static SortedSet<Cidr> canonical(Collection<Cidr> cidrs) {
        List<BigInteger[]> ranges = new ArrayList<>();
        List<Family> families = new ArrayList<>();
        cidrs.stream().map(Cidr::network).sorted().forEach(c -> {
            BigInteger start = toBig(c.address());
            BigInteger end = start.add(BigInteger.ONE.shiftLeft(c.address().bits() - c.prefix())).subtract(BigInteger.ONE);
            int last = ranges.size() - 1;
            if (last >= 0 && families.get(last) == c.family() && start.compareTo(ranges.get(last)[1].add(BigInteger.ONE)) <= 0) {
                ranges.get(last)[1] = ranges.get(last)[1].max(end);
            } else {
                ranges.add(new BigInteger[] {start, end});
                families.add(c.family());
            }
        });
        SortedSet<Cidr> out = new TreeSet<>();
        for (int i = 0; i < ranges.size(); i++) {
            out.addAll(prefixes(fromBig(families.get(i), ranges.get(i)[0]), fromBig(families.get(i), ranges.get(i)[1])));
        }
        return out;
    }

    private static BigInteger toBig(IpAddress a) {
        return new BigInteger(1, a.bytes());
    }

    private static IpAddress fromBig(Family family, BigInteger v) {
        int len = family == Family.IPV4 ? 4 : 16;
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return IpAddress.of(out);
    }
}
