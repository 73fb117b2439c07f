package org.mwan4.plan;

import java.util.SortedSet;
import org.mwan4.config.Cidr;

/**
 * One kernel change. A step's ops go to the kernel together: the nft ones as one atomic transaction
 * (one script), the ip rule/route ones as rtnetlink messages. Each says which command it equals.
 */
public sealed interface Op {

    /** {@code add set inet fw4 <name> { ... }} with its elements. */
    record AddSet(NftSet set) implements Op {}

    /** {@code delete set inet fw4 <name>}. */
    record DeleteSet(String name) implements Op {}

    /** {@code add element inet fw4 <set> { ... }}. */
    record AddElements(String set, SortedSet<Cidr> elements) implements Op {}

    /** {@code delete element inet fw4 <set> { ... }}. */
    record DeleteElements(String set, SortedSet<Cidr> elements) implements Op {}

    /** {@code add chain inet fw4 <name> [{ hook }]} then its rules. */
    record AddChain(NftChain chain) implements Op {}

    /** {@code flush chain inet fw4 <name>} then its new rules, in the same transaction. */
    record ReplaceChain(NftChain chain) implements Op {}

    /** {@code delete chain inet fw4 <name>} (after every jump to it is gone). */
    record DeleteChain(String name) implements Op {}

    /** {@code ip rule add ...}. */
    record AddIpRule(IpRule rule) implements Op {}

    /** {@code ip rule del ...}. */
    record DeleteIpRule(IpRule rule) implements Op {}

    /** {@code ip route add ... table N}. */
    record AddRoute(IpRoute route) implements Op {}

    /** {@code ip route del ... table N}. */
    record DeleteRoute(IpRoute route) implements Op {}
}
