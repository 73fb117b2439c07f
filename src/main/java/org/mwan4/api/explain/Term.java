package org.mwan4.api.explain;

import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.config.PortRange;

/**
 * One part of an nft rule as mwan4's planner writes it ({@code nft list} form): a match or a statement.
 * {@link NftRule#parse} turns rule text into these; {@link Unknown} keeps what it cannot read, so the walk can
 * say exactly which text it could not evaluate.
 */
sealed interface Term {

    /** {@code meta mark & MASK == VALUE} (or {@code !=}). */
    record MarkTest(int mask, int value, boolean equal) implements Term {}

    /** {@code ct mark & MASK == VALUE} (or {@code !=}). */
    record CtMarkTest(int mask, int value, boolean equal) implements Term {}

    /** {@code ip daddr 192.0.2.0/24}, {@code ip6 saddr { a, b }}. */
    record AddrTest(boolean ipv6, boolean source, List<Cidr> prefixes) implements Term {}

    /** {@code ip daddr @set}. */
    record SetTest(boolean ipv6, boolean source, String set) implements Term {}

    /** {@code ip saddr @mwan4_rule_ipv4_RULE_ID}: the source has a sticky entry for that interface. */
    record StickyTest(boolean ipv6, String set) implements Term {}

    /** {@code tcp dport { 80, 443 }}. */
    record PortTest(String proto, boolean source, List<PortRange> ports) implements Term {}

    /** {@code meta l4proto gre} or {@code meta l4proto { tcp, udp }}. */
    record L4Test(List<String> protos) implements Term {}

    /** {@code meta nfproto ipv4}. */
    record NfprotoTest(String family) implements Term {}

    /** {@code iifname "eth0"} / {@code oifname "eth0"}. */
    record IfnameTest(boolean input, List<String> devices) implements Term {}

    /** {@code socket cgroupv2 level N "PATH"}: the socket belongs to a process started by {@code mwan4 use}. */
    record CgroupTest(int level, String path) implements Term {}

    /** {@code icmpv6 type { nd-router-solicit, ... }}. */
    record Icmpv6Test(List<String> types) implements Term {}

    /** {@code numgen random mod MOD FROM-TO}: true for (TO-FROM+1)/MOD of the packets. */
    record Numgen(int mod, int from, int to) implements Term {}

    /** {@code meta mark set meta mark & KEEP | VALUE} (KEEP -1 when nft printed no {@code &}). */
    record SetMark(int keep, int value) implements Term {}

    /** {@code ct mark set ct mark & KEEP | VALUE}. */
    record SetCtMark(int keep, int value) implements Term {}

    /** {@code update @set { ... }}. */
    record Update(String set) implements Term {}

    /** {@code log prefix "..." [level x]}. */
    record Log(String prefix) implements Term {}

    /** {@code jump CHAIN} or {@code goto CHAIN}. */
    record Jump(String chain, boolean isGoto) implements Term {}

    /** {@code return}, {@code accept}, {@code drop}. */
    record Verdict(String verdict) implements Term {}

    /** {@code comment "..."}, {@code counter ...}: no effect on the packet. */
    record Note(String text) implements Term {}

    /** Text the explainer does not understand. */
    record Unknown(String text) implements Term {}
}
