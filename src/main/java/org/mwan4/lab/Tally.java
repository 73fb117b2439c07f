package org.mwan4.lab;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which WAN each of a batch of new connections left through, as the whoami server saw it.
 *
 * @param byWan   WAN device ({@code wan1}) -> connections that left through it
 * @param unknown connections answered from an address that belongs to no WAN (e.g. not masqueraded)
 * @param failed  connections that did not get an answer in time
 * @param errors  the first few failure reasons, for the assertion message
 */
public record Tally(SortedMap<String, Integer> byWan, int unknown, int failed, List<String> errors) {
    public Tally {
        byWan = Collections.unmodifiableSortedMap(new TreeMap<>(byWan));
        errors = List.copyOf(errors);
    }

    public int count(String wan) {
        return byWan.getOrDefault(wan, 0);
    }

    /** Connections that got an answer. */
    public int answered() {
        return byWan.values().stream().mapToInt(Integer::intValue).sum() + unknown;
    }

    public int total() {
        return answered() + failed;
    }

    /** Share of the answered connections that left through {@code wan}, 0..1. */
    public double share(String wan) {
        int a = answered();
        return a == 0 ? 0 : (double) count(wan) / a;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        byWan.forEach((w, n) -> sb.append(w).append('=').append(n).append(String.format(" (%.1f %%) ", 100.0 * share(w))));
        sb.append("unknown=").append(unknown).append(" failed=").append(failed);
        if (!errors.isEmpty()) {
            sb.append(" errors=").append(errors);
        }
        return sb.toString();
    }
}
