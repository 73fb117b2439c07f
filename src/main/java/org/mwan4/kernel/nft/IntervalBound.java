package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * One element of an interval set as the kernel stores it: nf_tables keeps a range as two keys, the start and
 * the end, where the end is the first address after the range and carries NFT_SET_ELEM_INTERVAL_END. A range
 * that runs to the last address of the family has no end key; nft then marks its start "open"
 * (NFTNL_SET_ELEM_F_INTERVAL_OPEN in the element's user data) so it lists back as a prefix.
 * <pre>
 * 192.0.2.0/24   -> start 192.0.2.0, end 192.0.3.0
 * 198.51.100.7   -> start 198.51.100.7, end 198.51.100.8
 * 224.0.0.0/3    -> start 224.0.0.0 (open)
 * 0.0.0.0/0      -> start 0.0.0.0 (open)
 * ::/0, ff00::/8 -> start :: (open), start ff00:: (open)
 * </pre>
 * nft 1.0.6 sends exactly these (checked with {@code nft --debug=netlink add element ...}), plus one extra end key
 * 0.0.0.0 ("the first segment") when it adds to a set it knows is empty; the kernel's lookups do not need
 * it, and listings read the same without it, so we never send it.
 *
 * @param key  the address the kernel compares
 * @param end  NFT_SET_ELEM_INTERVAL_END: the first address after the range
 * @param open a start whose range runs to the end of the address space (no end key follows)
 */
public record IntervalBound(IpAddress key, boolean end, boolean open) {

    /** The start (and end, unless open) of {@code prefix}; host bits are cleared. */
    public static List<IntervalBound> of(Cidr prefix) {
        Cidr net = prefix.network();
        IpAddress start = net.address();
        IpAddress after = next(start, start.bits() - net.prefix());
        List<IntervalBound> out = new ArrayList<>(2);
        out.add(new IntervalBound(start, false, after == null));
        if (after != null) {
            out.add(new IntervalBound(after, true, false));
        }
        return out;
    }

    /** {@code start + 2^hostBits}, or null when that passes the last address of the family. */
    static IpAddress next(IpAddress start, int hostBits) {
        if (start.family() == Family.IPV4) {
            long v = start.lo() + (1L << hostBits);
            return v > 0xFFFFFFFFL ? null : new IpAddress(Family.IPV4, 0, v);
        }
        if (hostBits == 128) {
            return null;
        }
        long hi = start.hi();
        long lo = start.lo();
        if (hostBits < 64) {
            long nlo = lo + (1L << hostBits);
            long nhi = Long.compareUnsigned(nlo, lo) < 0 ? hi + 1 : hi;
            return Long.compareUnsigned(nhi, hi) < 0 ? null : new IpAddress(Family.IPV6, nhi, nlo);
        }
        long nhi = hi + (1L << (hostBits - 64));
        return Long.compareUnsigned(nhi, hi) <= 0 ? null : new IpAddress(Family.IPV6, nhi, lo);
    }

    /** The address before {@code a} ({@code a} is not the first address of its family). */
    static IpAddress previous(IpAddress a) {
        if (a.family() == Family.IPV4) {
            return new IpAddress(Family.IPV4, 0, a.lo() - 1);
        }
        long lo = a.lo() - 1;
        long hi = a.lo() == 0 ? a.hi() - 1 : a.hi();
        return new IpAddress(Family.IPV6, hi, lo);
    }

    /** The last address of {@code family}: 255.255.255.255 or ffff:...:ffff. */
    static IpAddress last(Family family) {
        return family == Family.IPV4 ? new IpAddress(Family.IPV4, 0, 0xFFFFFFFFL) : new IpAddress(Family.IPV6, -1L, -1L);
    }

    @Override
    public String toString() {
        return (end ? "end " : open ? "open start " : "start ") + key;
    }
}
