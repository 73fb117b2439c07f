package org.mwan4.lab;

import java.util.SortedSet;
import java.util.TreeSet;
import org.mwan4.config.IpAddress;

/**
 * What an ISP currently does wrong to traffic from its customer (the router). Rendered into the ISP's
 * {@code impair} chain, so it acts on packets arriving from the router only: a ping through a lossy ISP loses
 * {@code lossPercent} % of its round trips, not twice that.
 *
 * @param lossPercent 0..100, random per packet ({@code numgen random mod 100 < N drop})
 * @param blackholed  destinations this ISP drops silently
 */
public record IspImpairment(int lossPercent, SortedSet<IpAddress> blackholed) {
    public static final IspImpairment NONE = new IspImpairment(0, new TreeSet<>());

    public IspImpairment {
        if (lossPercent < 0 || lossPercent > 100) {
            throw new IllegalArgumentException("loss " + lossPercent + " % out of range 0..100");
        }
        blackholed = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(blackholed));
    }

    public IspImpairment withLoss(int percent) {
        return new IspImpairment(percent, blackholed);
    }

    public IspImpairment withBlackhole(IpAddress target, boolean on) {
        TreeSet<IpAddress> next = new TreeSet<>(blackholed);
        if (on) {
            next.add(target);
        } else {
            next.remove(target);
        }
        return new IspImpairment(lossPercent, next);
    }

    /** One nft transaction that replaces the whole {@code impair} chain. */
    public String render() {
        StringBuilder sb = new StringBuilder("flush chain " + LabScripts.LAB_TABLE + " impair\n");
        for (IpAddress t : blackholed) {
            sb.append("add rule ").append(LabScripts.LAB_TABLE).append(" impair ")
              .append(t.family().nftFamily()).append(" daddr ").append(t).append(" drop\n");
        }
        if (lossPercent > 0) {
            // neighbour discovery stays lossless, as ARP does for IPv4 (ARP never reaches inet hooks)
            sb.append("add rule ").append(LabScripts.LAB_TABLE)
              .append(" impair icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n");
            sb.append("add rule ").append(LabScripts.LAB_TABLE).append(" impair numgen random mod 100 < ")
              .append(lossPercent).append(" drop\n");
        }
        return sb.toString();
    }
}
