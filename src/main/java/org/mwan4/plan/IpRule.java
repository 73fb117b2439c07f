package org.mwan4.plan;

import org.mwan4.config.Family;

/**
 * A policy-routing rule (FIB rule).
 * {@code ip [-6] rule add pref <priority> [iif <iif>] [fwmark <fwmark>/<fwmask>] (lookup <table> | unreachable | blackhole)}.
 *
 * @param iif    input device name, or "" for none
 * @param fwmask 0 when the rule has no fwmark match
 * @param table  lookup table for action LOOKUP, else 0
 */
public record IpRule(Family family, int priority, String iif, int fwmark, int fwmask, Action action, int table) implements Comparable<IpRule> {
    public enum Action { LOOKUP, UNREACHABLE, BLACKHOLE }

    @Override
    public int compareTo(IpRule o) {
        int c = family.compareTo(o.family);
        if (c == 0) c = Integer.compare(priority, o.priority);
        if (c == 0) c = iif.compareTo(o.iif);
        if (c == 0) c = Integer.compare(fwmark, o.fwmark);
        if (c == 0) c = Integer.compare(fwmask, o.fwmask);
        if (c == 0) c = action.compareTo(o.action);
        if (c == 0) c = Integer.compare(table, o.table);
        return c;
    }

    /** In {@code ip rule} syntax, e.g. {@code pref 2001 fwmark 0x100/0x3f00 lookup 1}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("pref ").append(priority);
        if (!iif.isEmpty()) sb.append(" iif ").append(iif);
        if (fwmask != 0) sb.append(" fwmark 0x").append(Integer.toHexString(fwmark)).append("/0x").append(Integer.toHexString(fwmask));
        switch (action) {
            case LOOKUP -> sb.append(" lookup ").append(table);
            case UNREACHABLE -> sb.append(" unreachable");
            case BLACKHOLE -> sb.append(" blackhole");
        }
        return sb.toString();
    }
}
