package org.mwan4.kernel.nft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftScript;

/**
 * One interval set's element change in {@code table inet fw4}: prefixes to delete, then prefixes to add, in
 * the same transaction. Equals
 * <pre>
 * delete element inet fw4 mwan4_connected_ipv4 { 198.51.100.0/24 }
 * add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/24, 203.0.113.7 }
 * </pre>
 * The kernel does not merge intervals (that is nft's userspace {@code auto-merge}), so the prefixes must
 * not overlap each other or what stays in the set; the planner hands over disjoint networks
 * ({@code org.mwan4.plan.Prefixes.normalize}). Host bits are ignored ({@code 192.0.2.5/24} is 192.0.2.0/24).
 *
 * @param set     the set's name, e.g. {@code mwan4_connected_ipv4}
 * @param family  the set's key type: {@code ipv4_addr} or {@code ipv6_addr}
 * @param added   prefixes to add
 * @param removed prefixes to delete (they go first)
 * @throws IllegalArgumentException for an empty or too long name, or a prefix of the other family
 */
public record SetElements(String set, Family family, SortedSet<Cidr> added, SortedSet<Cidr> removed) {
    /** NFT_SET_MAXNAMELEN, linux/netfilter/nf_tables.h, with its terminating NUL. */
    private static final int MAX_NAME = 256;

    public SetElements {
        if (set == null || set.isBlank() || set.getBytes(StandardCharsets.UTF_8).length >= MAX_NAME) {
            throw new IllegalArgumentException("set name must be 1.." + (MAX_NAME - 1) + " bytes, got \"" + set + "\"");
        }
        added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
        removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
        for (Cidr c : added) {
            checkFamily(set, family, c);
        }
        for (Cidr c : removed) {
            checkFamily(set, family, c);
        }
    }

    public static SetElements add(String set, Family family, SortedSet<Cidr> prefixes) {
        return new SetElements(set, family, prefixes, new TreeSet<>());
    }

    public static SetElements delete(String set, Family family, SortedSet<Cidr> prefixes) {
        return new SetElements(set, family, new TreeSet<>(), prefixes);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    /** {@code delete element ...} and {@code add element ...} lines of {@code changes}, one op per line, in batch order. */
    public static NftScript script(List<SetElements> changes) {
        StringBuilder text = new StringBuilder();
        List<Integer> opOfLine = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        for (SetElements c : changes) {
            for (String line : c.commands()) {
                opOfLine.add(summaries.size());
                summaries.add(line.length() > 120 ? line.substring(0, 117) + "..." : line);
                text.append(line).append('\n');
            }
        }
        return new NftScript(text.toString(), opOfLine.stream().mapToInt(Integer::intValue).toArray(), summaries);
    }

    /** The nft commands this change equals: the delete (if any), then the add (if any). */
    public List<String> commands() {
        List<String> out = new ArrayList<>(2);
        if (!removed.isEmpty()) {
            out.add("delete element " + Desired.TABLE + " " + set + " " + braces(removed));
        }
        if (!added.isEmpty()) {
            out.add("add element " + Desired.TABLE + " " + set + " " + braces(added));
        }
        return out;
    }

    static String braces(SortedSet<Cidr> prefixes) {
        return prefixes.stream().map(c -> c.network().toString()).collect(Collectors.joining(", ", "{ ", " }"));
    }

    private static void checkFamily(String set, Family family, Cidr c) {
        if (c.family() != family) {
            throw new IllegalArgumentException(c + " is " + c.family().id() + " but set " + set + " holds " + family.id()
                    + " addresses; the kernel would refuse the key length");
        }
    }
}
